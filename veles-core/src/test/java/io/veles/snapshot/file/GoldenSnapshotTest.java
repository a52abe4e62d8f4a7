package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.internal.db.DatabaseTarget;
import io.veles.internal.db.SnapshotTable;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.testing.golden.GoldenFileWriter;
import io.veles.testing.golden.GoldenState;
import io.veles.testing.golden.GoldenWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every build restores the golden snapshots that earlier builds wrote (one per codec, a signed one
 * and a database row's data) to the state they were taken of. The files are never regenerated:
 * when this test fails, the reader is wrong. A format change adds a version number, writes a new
 * golden directory, and keeps reading this one.
 */
class GoldenSnapshotTest {
    private static final String FORMAT_1 = "/golden/format-1/";
    private static final String FORMAT_4 = "/golden/format-4/";
    private static final String NEVER_REGENERATE =
            " Golden files are never regenerated: snapshots users already have look"
                    + " like them, so fix the reader (a format change adds a version number and keeps reading format 1).";

    @TempDir
    Path dir;

    static Stream<Arguments> goldenFiles() throws IOException {
        List<Arguments> files = new ArrayList<>();
        for (String line : Files.readAllLines(golden(GoldenFileWriter.DIGESTS_FILE))) {
            if (!line.startsWith("#")) {
                String[] parts = line.split(" ");
                files.add(Arguments.of(parts[0], parts[1]));
            }
        }
        return files.stream();
    }

    @Test
    void everyCodecASignedSnapshotAndADatabaseRowHaveAGoldenFile() throws IOException {
        List<String> names =
                goldenFiles().map(arguments -> (String) arguments.get()[0]).toList();
        List<String> expected = new ArrayList<>();
        for (Codec codec : Codec.values()) {
            expected.add("golden." + codec.argument());
        }
        expected.add(GoldenFileWriter.SIGNED_FILE);
        expected.add(GoldenFileWriter.ROW_FILE);
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void eachGoldenFileRestoresToItsDigest(String file, String digest) throws Exception {
        GoldenWorkflow restored;
        if (file.equals(GoldenFileWriter.ROW_FILE)) {
            restored = restoreFromDatabaseRow(Files.readAllBytes(golden(file)));
        } else {
            SnapshotKey key = file.equals(GoldenFileWriter.SIGNED_FILE)
                    ? SnapshotKey.fromFile(golden(GoldenFileWriter.KEY_FILE))
                    : null;
            restored = restore(file, key);
        }
        assertRestoredState(file, restored, digest);
    }

    @Test
    void theSignedGoldenFileIsCheckedAgainstItsKey() throws IOException {
        Path wrongKey = Files.write(dir.resolve("wrong.key"), new byte[32]);
        assertThatThrownBy(() -> restore(GoldenFileWriter.SIGNED_FILE, SnapshotKey.fromFile(wrongKey)))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("sign");
    }

    private static GoldenWorkflow restore(String file, SnapshotKey key) {
        try (SnapshotReader reader =
                SnapshotReader.open(new ByteArrayInputStream(Files.readAllBytes(golden(file))), file, key)) {
            return Snapshots.restore(reader, GoldenWorkflow.class, List.of());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Puts the golden bytes into the data column of a fresh SQLite snapshot table and restores the row by odbc://. */
    private GoldenWorkflow restoreFromDatabaseRow(byte[] data) throws Exception {
        Path database = dir.resolve("golden.db");
        String odbc = "DRIVER={SQLite3};DATABASE=" + database;
        new SnapshotTable(DatabaseTarget.of(odbc), "snapshots").prepare();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO snapshots"
                        + " (\"timestamp\", id, log_id, workflow, name, codec, data) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, "2026-12-01 00:00:00.000000");
            insert.setString(2, GoldenFileWriter.ROW_ID);
            insert.setString(3, GoldenFileWriter.ROW_ID);
            insert.setString(4, "golden");
            insert.setString(5, GoldenFileWriter.ROW_NAME);
            insert.setString(6, "gz");
            insert.setBytes(7, data);
            insert.executeUpdate();
        }
        String source = "odbc://" + odbc + "&snapshots&" + GoldenFileWriter.ROW_ID + "&" + GoldenFileWriter.ROW_ID + "&"
                + GoldenFileWriter.ROW_NAME;
        return Snapshots.restore(source, GoldenWorkflow.class, RestoreRules.forWorkflow(GoldenWorkflow.class), null)
                .workflow();
    }

    private static void assertRestoredState(String file, GoldenWorkflow restored, String digest) throws IOException {
        String state = GoldenState.describe(restored);
        String expected = Files.readString(golden("state.txt"));
        assertThat(state)
                .as("%s restored to a different state than it was taken of.%s", file, NEVER_REGENERATE)
                .isEqualTo(expected);
        assertThat(GoldenState.digest(restored))
                .as("%s: digest of the restored state.%s", file, NEVER_REGENERATE)
                .isEqualTo(digest);
    }

    /**
     * Not only read: today's writer still writes the payload of format 4's golden.none byte for
     * byte (the same state as format 1's, its cells written in a byte each), so that a change to
     * how objects, classes or references are encoded is noticed here, not by the users whose older
     * readers (or tools) it would break. The manifest is left out: it names this writer's version
     * and the code's fingerprint.
     */
    @Test
    void theWriterStillWritesTheGoldenPayloadByteForByte() throws IOException {
        GoldenWorkflow workflow = new GoldenWorkflow();
        workflow.initialize();
        workflow.run();
        java.io.ByteArrayOutputStream now = new java.io.ByteArrayOutputStream();
        SnapshotWriter.write(
                workflow,
                io.veles.snapshot.format.Manifest.builder()
                        .name(GoldenFileWriter.ROW_NAME)
                        .created("2026-12-01T00:00:00Z")
                        .build(),
                SnapshotWriter.Options.of(Codec.NONE, -1).withThreads(1),
                now);
        byte[] golden = Files.readAllBytes(golden(FORMAT_4, "golden.none"));
        assertThat(payload(now.toByteArray())).as("the payload written now").isEqualTo(payload(golden));
    }

    /**
     * Format 4's golden.none, written by the first writer of format 4 from the state of format 1's
     * golden files, restores to that state; its payload differs from format 1's only where cells
     * ({@code Bool}) are written.
     */
    @Test
    void formatFoursGoldenSnapshotRestoresToTheSameState() throws IOException {
        Path file = golden(FORMAT_4, "golden.none");
        try (SnapshotReader reader = Snapshots.openFile(file)) {
            assertThat(reader.formatVersion()).isEqualTo(4);
        }
        String digest = goldenFiles()
                .filter(arguments -> arguments.get()[0].equals("golden.none"))
                .map(arguments -> (String) arguments.get()[1])
                .findFirst()
                .orElseThrow();
        GoldenWorkflow restored = Snapshots.restore(
                        file.toString(), GoldenWorkflow.class, RestoreRules.forWorkflow(GoldenWorkflow.class), null)
                .workflow();
        assertRestoredState("format-4/golden.none", restored, digest);
        assertThat(payload(Files.readAllBytes(file))).isNotEqualTo(payload(Files.readAllBytes(golden("golden.none"))));
    }

    /** The payload of a standalone, uncompressed container: after its header, as long as it says. */
    private static byte[] payload(byte[] container) throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(container));
        in.skipNBytes(io.veles.snapshot.format.SnapshotFormat.MAGIC.length + 2 + 2); // magic, version, flags
        in.skipNBytes(in.readInt()); // the manifest
        in.readInt(); // its checksum
        long length = in.readLong();
        return in.readNBytes(Math.toIntExact(length));
    }

    private static Path golden(String name) {
        return golden(FORMAT_1, name);
    }

    private static Path golden(String format, String name) {
        try {
            return Path.of(GoldenSnapshotTest.class.getResource(format + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("golden file " + format + name + " is missing." + NEVER_REGENERATE, e);
        }
    }
}
