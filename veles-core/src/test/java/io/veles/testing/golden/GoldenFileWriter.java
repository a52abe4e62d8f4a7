package io.veles.testing.golden;

import io.veles.internal.db.DatabaseTarget;
import io.veles.internal.db.SnapshotRow;
import io.veles.internal.db.SnapshotTable;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotKey;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Wrote the golden snapshots of format 1, once; the build never runs it. Golden files are never
 * regenerated: a build that cannot restore them is wrong, not the files. A new format version
 * gets its own directory (format-2, ...) written by a copy of this class, and the old
 * directories stay and keep being restored.
 *
 * <p>Usage: {@code java -cp <test classpath> io.veles.testing.golden.GoldenFileWriter DIR}
 */
public final class GoldenFileWriter {
    /** The row of the golden database snapshot; the golden test inserts its data under these. */
    public static final String ROW_ID = "00000000-0000-4000-8000-00000000601d";

    public static final String ROW_NAME = "golden_3";
    public static final String ROW_FILE = "golden-sqlite-row.data";
    public static final String KEY_FILE = "test.key";
    public static final String SIGNED_FILE = "golden-signed.gz";
    public static final String DIGESTS_FILE = "digests.txt";
    private static final String CREATED = "2026-12-01T00:00:00Z";

    private GoldenFileWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        if (Files.exists(dir.resolve(DIGESTS_FILE))) {
            throw new IllegalStateException(dir + " already holds golden files, which are never regenerated");
        }
        GoldenWorkflow workflow = new GoldenWorkflow();
        workflow.initialize();
        workflow.run();
        List<String> digests = new ArrayList<>();
        digests.add("# Golden snapshots of format 1 and the GoldenState digest each restores to. Never regenerated.");
        String digest = GoldenState.digest(workflow);
        for (Codec codec : Codec.values()) {
            String file = "golden." + codec.argument();
            try (OutputStream out = Files.newOutputStream(dir.resolve(file))) {
                SnapshotWriter.write(workflow, manifest(), options(codec), out);
            }
            digests.add(file + " " + digest);
        }
        // A test key, committed beside the snapshot it signs; never use it for anything else.
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 37 + 11);
        }
        Files.write(dir.resolve(KEY_FILE), key);
        try (OutputStream out = Files.newOutputStream(dir.resolve(SIGNED_FILE))) {
            SnapshotWriter.write(
                    workflow,
                    manifest(),
                    options(Codec.GZIP).withKey(SnapshotKey.fromFile(dir.resolve(KEY_FILE))),
                    out);
        }
        digests.add(SIGNED_FILE + " " + digest);
        Files.write(dir.resolve(ROW_FILE), databaseRowData(workflow, Files.createTempDirectory("golden-db")));
        digests.add(ROW_FILE + " " + digest);
        Files.write(dir.resolve(DIGESTS_FILE), digests);
        Files.writeString(dir.resolve("state.txt"), GoldenState.describe(workflow));
    }

    private static Manifest manifest() {
        return Manifest.builder().name(ROW_NAME).created(CREATED).build();
    }

    /** One thread, so that the bytes depend on nothing but the state and the codec. */
    private static SnapshotWriter.Options options(Codec codec) {
        return SnapshotWriter.Options.of(codec, -1).withThreads(1);
    }

    /** The {@code data} column of a row that the SQLite snapshot table stored. */
    private static byte[] databaseRowData(GoldenWorkflow workflow, Path dir) throws Exception {
        String odbc = "DRIVER={SQLite3};DATABASE=" + dir.resolve("golden.db");
        SnapshotTable table = new SnapshotTable(DatabaseTarget.of(odbc), "golden");
        table.insert(
                SnapshotRow.of(
                        Instant.parse(CREATED), ROW_ID, ROW_ID, workflow.name(), ROW_NAME, Codec.GZIP.argument()),
                out -> writeQuietly(workflow, out));
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("golden.db"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT data FROM golden")) {
            rows.next();
            return rows.getBytes(1);
        }
    }

    private static void writeQuietly(GoldenWorkflow workflow, OutputStream out) throws IOException {
        Manifest manifest = manifest().toBuilder().id(ROW_ID).logId(ROW_ID).build();
        SnapshotWriter.write(workflow, manifest, options(Codec.GZIP), out);
    }
}
