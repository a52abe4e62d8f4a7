package io.veles.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.SnapshotListing;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.testing.FreshTables;
import io.veles.testing.LoopWorkflow;
import io.veles.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Listing a table gives each row's manifest, whether the row spans chunks or its manifest alone
 * is larger than many snapshots.
 */
@Tag("slow")
class TableListingTest {
    @TempDir
    java.nio.file.Path dir;

    @RegisterExtension
    final FreshTables tables = new FreshTables();

    private String odbc;
    private String table;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aLargeRowAndALargeManifestBothListWithTheirManifests(TestDatabase db) {
        odbc = db.odbc(dir);
        table = tables.fresh(db, odbc);
        SnapshotTable rows = new SnapshotTable(DatabaseTarget.of(odbc), table);
        // 8 MiB of state: two chunks, the manifest in the first few KiB.
        insert(rows, "big_1", new LoopWorkflow(1, 1 << 20, -1), "small manifest");
        // A manifest of ~200 KiB of random hex: past any head read.
        byte[] noise = new byte[100 << 10];
        new Random(7).nextBytes(noise);
        insert(rows, "wordy_1", new LoopWorkflow(1, 10, -1), HexFormat.of().formatHex(noise));

        List<SnapshotListing.Entry> entries = SnapshotListing.list("odbc://" + odbc + "&" + table);
        assertThat(entries).extracting(SnapshotListing.Entry::name).containsExactly("big_1", "wordy_1");
        for (SnapshotListing.Entry entry : entries) {
            assertThat(entry.problem()).as(entry.name()).isNull();
            assertThat(entry.manifest().name).isEqualTo(entry.name());
        }
        assertThat(entries.get(0).manifest().info.get("note")).isEqualTo("small manifest");
        assertThat((String) entries.get(1).manifest().info.get("note")).hasSize(200 << 10);
    }

    /** A name ending in spaces reads back as written: its row opens and deletes. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRowNamedWithTrailingSpacesOpensAndDeletes(TestDatabase db) throws Exception {
        odbc = db.odbc(dir);
        table = tables.fresh(db, odbc);
        SnapshotTable rows = new SnapshotTable(DatabaseTarget.of(odbc), table);
        LoopWorkflow workflow = new LoopWorkflow(1, 10, -1);
        insert(rows, "big_1.50  ", workflow, "padded");
        SnapshotRow row = rows.list().get(0);
        assertThat(row.name()).isEqualTo("big_1.50  ");
        try (java.io.InputStream in = rows.open(row);
                io.veles.snapshot.file.SnapshotReader reader =
                        io.veles.snapshot.file.SnapshotReader.open(in, row.name())) {
            assertThat(io.veles.snapshot.Snapshots.restore(reader, LoopWorkflow.class, List.of())
                            .state())
                    .isEqualTo(workflow.state());
        }
        rows.delete(row);
        assertThat(rows.list()).isEmpty();
    }

    private static void insert(SnapshotTable rows, String name, LoopWorkflow workflow, String note) {
        Manifest manifest = Manifest.builder().name(name).info("note", note).build();
        String id = "00000000-0000-0000-0000-00000000000" + (name.startsWith("big") ? "1" : "2");
        rows.insert(
                SnapshotRow.of(Instant.now(), id, id, "loop", name, Codec.GZIP.argument()),
                out -> SnapshotWriter.write(workflow, manifest, Codec.GZIP, 1, out));
    }
}
