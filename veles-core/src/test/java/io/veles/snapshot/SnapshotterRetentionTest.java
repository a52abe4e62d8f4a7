package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.internal.db.DatabaseTarget;
import io.veles.internal.db.SnapshotPins;
import io.veles.internal.db.SnapshotRow;
import io.veles.internal.db.SnapshotTable;
import io.veles.internal.store.AtomicFiles;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.testing.FreshTables;
import io.veles.testing.LoopWorkflow;
import io.veles.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Retention applied by the snapshotter as it writes: after each stored snapshot, its prefix's
 * snapshots that no rule keeps are deleted; pinned and current ones, and other prefixes', stay.
 */
class SnapshotterRetentionTest {
    /** The decision's metric for snapshots 1..6: the best is snapshot 2. */
    private static final double[] METRICS = {0.5, 0.1, 0.4, 0.3, 0.6, 0.7};

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshTables tables = new FreshTables();

    private String odbc;
    private String table;

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void aDirectoryKeepsTheLastTheBestThePinnedAndOtherPrefixes(boolean async) throws Exception {
        Path snaps = dir.resolve("snaps");
        Files.createDirectories(snaps);
        writeForeignSnapshot(snaps.resolve("other_1.gz"), "other_1");
        writeForeignSnapshot(
                snaps.resolve("loop_x_1.gz"), "loop_x_1"); // prefix loop_x: not ours though it starts with loop_
        LoopWorkflow workflow = new LoopWorkflow(1, 100, -1);
        Snapshotter snapshotter = Snapshotter.create(
                workflow,
                SnapshotSettings.builder()
                        .prefix("loop")
                        .directory(snaps.toString())
                        .compression(Codec.GZIP)
                        .compressionLevel(1)
                        .async(async)
                        .asyncMemoryBytes(1L << 30)
                        .keepLast(2)
                        .keepBest(1)
                        .build());
        workflow.initialize();
        for (int i = 0; i < METRICS.length; i++) {
            snapshotter.info().put(SnapshotPruning.METRIC, METRICS[i]);
            snapshotter.run(); // interval 1: a snapshot per run, in the background when async
            snapshotter.awaitWritten();
            if (i == 0) {
                SnapshotPruning.pin(snaps.resolve("loop_1.gz").toString());
            }
            if (i == 2) {
                // best (2), last two (2, 3), pinned (1): nothing to delete yet
                assertThat(files(snaps))
                        .containsExactly("loop_1.gz", "loop_2.gz", "loop_3.gz", "loop_x_1.gz", "other_1.gz");
            }
        }
        snapshotter.stop();
        assertThat(files(snaps))
                .containsExactly("loop_1.gz", "loop_2.gz", "loop_5.gz", "loop_6.gz", "loop_x_1.gz", "other_1.gz");
        assertThat(Files.readSymbolicLink(snaps.resolve("loop_current.gz"))).isEqualTo(Path.of("loop_6.gz"));
    }

    @Tag("slow")
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aTableKeepsTheLastThePinnedAndEachRunsNewest(TestDatabase db) {
        odbc = db.odbc(dir);
        table = tables.fresh(db, odbc);
        SnapshotSettings settings = SnapshotSettings.builder()
                .prefix("loop")
                .directory(dir.toString())
                .compression(Codec.ZSTD)
                .odbc(odbc)
                .table(table)
                .async(false)
                .asyncMemoryBytes(0)
                .keepLast(1)
                .build();
        SnapshotTable rows = new SnapshotTable(DatabaseTarget.of(odbc), table);

        LoopWorkflow first = new LoopWorkflow(1, 100, -1);
        Snapshotter firstSnapshotter = Snapshotter.create(first, settings);
        first.initialize();
        for (int i = 1; i <= 3; i++) {
            firstSnapshotter.export();
            if (i == 1) {
                SnapshotPruning.pin("odbc://" + odbc + "&" + table + "&"
                        + first.runContext().id() + "&&loop_1");
            }
        }
        assertThat(names(rows.list())).containsExactly("loop_1", "loop_3");

        LoopWorkflow second = new LoopWorkflow(1, 100, -1); // another run: its own id
        Snapshotter secondSnapshotter = Snapshotter.create(second, settings);
        second.initialize();
        for (int i = 1; i <= 3; i++) {
            secondSnapshotter.export();
        }
        // The first run's newest stays: it is what odbc://…&<its id> resumes from.
        List<SnapshotRow> left = rows.list();
        assertThat(left)
                .extracting(SnapshotRow::id)
                .containsExactly(
                        first.runContext().id(),
                        first.runContext().id(),
                        second.runContext().id());
        assertThat(names(left)).containsExactly("loop_1", "loop_3", "loop_3");
        assertThat(new SnapshotPins(DatabaseTarget.of(odbc), table).isPinned(left.get(0)))
                .isTrue();
    }

    /**
     * Two snapshotters of one run share a table, under the prefixes loop and loop_ema: the first
     * one's retention weighs its own rows only, though loop_ema_1 starts with 'loop_'.
     */
    @Tag("slow")
    @Test
    void aPrefixsRetentionLeavesALongerPrefixsRowsAlone() {
        odbc = TestDatabase.SQLITE.odbc(dir);
        table = tables.fresh(TestDatabase.SQLITE, odbc);
        SnapshotSettings.Builder settings = SnapshotSettings.builder()
                .directory(dir.toString())
                .compression(Codec.GZIP)
                .compressionLevel(1)
                .odbc(odbc)
                .table(table)
                .async(false)
                .asyncMemoryBytes(0);
        LoopWorkflow workflow = new LoopWorkflow(1, 100, -1);
        Snapshotter averaged =
                Snapshotter.create(workflow, settings.prefix("loop_ema").build());
        Snapshotter pruned =
                Snapshotter.create(workflow, settings.prefix("loop").keepLast(1).build());
        workflow.initialize();
        for (int i = 1; i <= 3; i++) {
            averaged.export();
            pruned.export();
        }
        assertThat(names(new SnapshotTable(DatabaseTarget.of(odbc), table).list()))
                .containsExactlyInAnyOrder("loop_ema_1", "loop_ema_2", "loop_ema_3", "loop_3");
    }

    /**
     * Two snapshotters of one run on one prefix of a table would each weigh the other's rows as
     * its own and prune its differential bases: the second is refused, as in a directory.
     */
    @Tag("slow")
    @Test
    void aSecondSnapshotterOfTheRunOnTheSamePrefixIsRefused() {
        odbc = TestDatabase.SQLITE.odbc(dir);
        table = tables.fresh(TestDatabase.SQLITE, odbc);
        SnapshotSettings settings = SnapshotSettings.builder()
                .prefix("loop")
                .directory(dir.toString())
                .odbc(odbc)
                .table(table)
                .async(false)
                .asyncMemoryBytes(0)
                .build();
        LoopWorkflow workflow = new LoopWorkflow(1, 100, -1);
        Snapshotter.create(workflow, settings);
        Snapshotter.create(workflow, settings);
        assertThatThrownBy(workflow::initialize)
                .isInstanceOf(io.veles.errors.SnapshotLockedException.class)
                .hasMessageContaining("snapshot prefix 'loop' in ")
                .hasMessageContaining("is written by another snapshotter of this run");

        // another run of the same JVM on the same prefix is no collision: its rows carry its id
        LoopWorkflow other = new LoopWorkflow(1, 100, -1);
        Snapshotter otherRun = Snapshotter.create(other, settings);
        other.initialize();
        otherRun.export();
        otherRun.stop();
        assertThat(names(new SnapshotTable(DatabaseTarget.of(odbc), table).list()))
                .contains("loop_1");
    }

    /** A JDBC URL's query holds '&', which an odbc:// source would split on: retention must not reparse it. */
    @Tag("slow")
    @ParameterizedTest
    @EnumSource(
            value = TestDatabase.class,
            names = {"MARIADB", "POSTGRESQL"})
    void aJdbcUrlWithAnAmpersandPrunesToo(TestDatabase db) {
        db.odbc(dir); // skips (or fails under VELES_REQUIRE_DB=1) when the server is down
        odbc = db == TestDatabase.MARIADB
                ? "jdbc:mariadb://127.0.0.1:3306/test?user=root&password="
                : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=unused-under-trust";
        table = tables.fresh(db, odbc);
        SnapshotSettings settings = SnapshotSettings.builder()
                .prefix("loop")
                .directory(dir.toString())
                .compression(Codec.LZ4)
                .odbc(odbc)
                .table(table)
                .async(false)
                .asyncMemoryBytes(0)
                .keepLast(2)
                .build();
        LoopWorkflow workflow = new LoopWorkflow(1, 100, -1);
        Snapshotter snapshotter = Snapshotter.create(workflow, settings);
        workflow.initialize();
        for (int i = 0; i < 4; i++) {
            snapshotter.export();
        }
        assertThat(names(new SnapshotTable(DatabaseTarget.of(odbc), table).list()))
                .containsExactly("loop_3", "loop_4");
    }

    private static List<String> names(List<SnapshotRow> rows) {
        return rows.stream().map(SnapshotRow::name).collect(Collectors.toList());
    }

    private static void writeForeignSnapshot(Path file, String name) throws Exception {
        Manifest manifest = Manifest.builder().name(name).info("suffix", "1").build();
        AtomicFiles.write(file, out -> SnapshotWriter.write(new LoopWorkflow(1, 10, -1), manifest, Codec.GZIP, 1, out));
    }

    private static Set<String> files(Path directory) throws Exception {
        try (var entries = Files.list(directory)) {
            return entries.filter(p -> !Files.isSymbolicLink(p))
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
