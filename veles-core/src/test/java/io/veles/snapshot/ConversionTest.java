package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.codec.StandardTools;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Conversions between codecs and between files and a database: each copy verifies and restores equal. */
class ConversionTest {
    @TempDir
    Path dir;

    private LoopWorkflow workflow;

    private Path snapshot() {
        return snapshot(200_000, "snaps");
    }

    private Path snapshot(int size, String directory) {
        workflow = new LoopWorkflow(3, size, -1);
        Snapshotter snapshotter = Snapshotter.create(
                workflow,
                SnapshotSettings.builder()
                        .prefix("loop")
                        .directory(dir.resolve(directory).toString())
                        .compression(Codec.GZIP)
                        .build());
        workflow.initialize();
        workflow.run();
        snapshotter.export();
        return Path.of(snapshotter.destination());
    }

    private void assertRestoresEqual(String source, Codec codec) throws Exception {
        try (SnapshotReader reader = Snapshots.open(source)) {
            assertThat(reader.codec()).isEqualTo(codec);
            assertThat(reader.manifest().codec).isEqualTo(codec.argument());
            assertThat(Snapshots.restore(reader, LoopWorkflow.class, List.of()).state())
                    .isEqualTo(workflow.state());
        }
        try (SnapshotReader reader = Snapshots.open(source)) {
            reader.verify();
        }
    }

    /**
     * A copy into a directory is named after the snapshot's manifest, which a forged file can set
     * to a path: refused, and nothing is written outside the directory.
     */
    @Test
    void aCopyIntoADirectoryIsNotNamedByAForgedPath() throws Exception {
        LoopWorkflow loop = new LoopWorkflow(3, 64, -1);
        loop.initialize();
        loop.run();
        Files.createDirectories(dir.resolve("copies"));
        for (String name : new String[] {"../escaped", dir.resolve("absolute").toString(), ".hidden"}) {
            Path forged = dir.resolve("forged");
            Files.deleteIfExists(forged);
            try (java.io.OutputStream out = Files.newOutputStream(forged)) {
                io.veles.snapshot.file.SnapshotWriter.write(
                        loop,
                        io.veles.snapshot.format.Manifest.builder().name(name).build(),
                        Codec.NONE,
                        -1,
                        out);
            }
            assertThatThrownBy(() -> SnapshotConversion.convert(
                            forged.toString(), dir.resolve("copies") + "/", Codec.NONE, -1, null))
                    .as(name)
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("which is not a plain file name");
        }
        assertThat(dir.resolve("escaped")).doesNotExist();
        assertThat(dir.resolve("absolute")).doesNotExist();
        assertThat(dir.resolve("copies")).isEmptyDirectory();
    }

    /**
     * A copy of an older snapshot converted into a table keeps the time it was taken: it does not
     * become the newest row, which a resume from the table reads. The same snapshot copied in
     * twice is refused, not filed again.
     */
    @Test
    void anOlderSnapshotCopiedIntoATableDoesNotBecomeItsNewest() throws Exception {
        String odbc = "DRIVER={SQLite3};DATABASE=" + dir.resolve("team.db");
        LoopWorkflow loop = new LoopWorkflow(3, 64, -1);
        Snapshotter snapshotter = Snapshotter.create(
                loop,
                SnapshotSettings.builder()
                        .prefix("loop")
                        .odbc(odbc)
                        .table("runs")
                        .build());
        loop.initialize();
        loop.run();
        for (int i = 0; i < 3; i++) {
            snapshotter.export(); // loop_1, loop_2, loop_3, a millisecond or more apart
            Thread.sleep(5);
        }
        String table = "odbc://" + odbc + "&runs";
        String first = SnapshotConversion.convert(
                table + "&&&loop_1", dir.resolve("loop_1").toString(), Codec.NONE, -1, null);
        assertThatThrownBy(() -> SnapshotConversion.convert(first, table, null, -1, null))
                .as("loop_1 is still there")
                .hasMessageContaining("already holds snapshot loop_1");
        try (var store = SnapshotStores.open(table)) {
            store.delete(store.list().stream()
                    .filter(row -> row.name().equals("loop_1"))
                    .findFirst()
                    .orElseThrow());
        }
        SnapshotConversion.convert(first, table, null, -1, null); // a backup copied back
        try (SnapshotReader reader = Snapshots.open(table)) {
            assertThat(reader.manifest().name).as("the newest row").isEqualTo("loop_3");
        }
    }

    @Test
    void betweenCodecsAndStoresEveryCopyRestoresToTheSameState() throws Exception {
        Path gz = snapshot();
        String xz =
                SnapshotConversion.convert(gz.toString(), dir.resolve("copy.xz").toString(), Codec.XZ, 1, null);
        assertRestoresEqual(xz, Codec.XZ);
        String odbc = "DRIVER={SQLite3};DATABASE=" + dir.resolve("team.db");
        String row = SnapshotConversion.convert(xz, "odbc://" + odbc + "&converted", Codec.ZSTD, -1, null);
        assertThat(row).startsWith("odbc://").endsWith("&loop_1");
        assertRestoresEqual("odbc://" + odbc + "&converted", Codec.ZSTD);
        Files.createDirectories(dir.resolve("back"));
        String none = SnapshotConversion.convert(
                "odbc://" + odbc + "&converted", dir.resolve("back").toString(), Codec.NONE, -1, null);
        assertThat(none).endsWith("loop_1");
        assertRestoresEqual(none, Codec.NONE);
        StandardTools.assertToolAccepts(Codec.XZ, Path.of(xz)); // last: it skips where xz is missing
    }

    @Test
    void aDamagedSourceLeavesNothingAtTheDestinationAndNamesMustMatchTheCodec() throws Exception {
        Path gz = snapshot();
        byte[] bytes = Files.readAllBytes(gz);
        Path damaged = dir.resolve("damaged.gz");
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(damaged, bytes);
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        assertThatThrownBy(() -> SnapshotConversion.convert(
                        damaged.toString(), out.resolve("copy.zst").toString(), Codec.ZSTD, -1, null))
                .isInstanceOf(SnapshotException.class);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).as("no copy and no temporary file").isEmpty();
        }
        // Cut short past its first blocks, the source is named as truncated, not the copy as unwritable.
        byte[] large = Files.readAllBytes(snapshot(2_000_000, "large"));
        Path truncated = dir.resolve("truncated.gz");
        Files.write(truncated, java.util.Arrays.copyOf(large, large.length * 2 / 3));
        assertThatThrownBy(() -> SnapshotConversion.convert(
                        truncated.toString(), out.resolve("cut.zst").toString(), Codec.ZSTD, -1, null))
                .isInstanceOf(io.veles.errors.CorruptSnapshotException.class)
                .hasMessageStartingWith(truncated + " is ")
                .hasMessageNotContaining("cannot write");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).as("no copy and no temporary file").isEmpty();
        }
        assertThatThrownBy(() -> SnapshotConversion.convert(
                        gz.toString(), out.resolve("copy.gz").toString(), Codec.XZ, -1, null))
                .hasMessageContaining("is named as gz but would hold xz data");
        assertThatThrownBy(() -> SnapshotConversion.convert(
                        gz.toString(), out.resolve("exported").toString(), Codec.XZ, -1, null))
                .hasMessageContaining("does not end in .xz")
                .hasMessageContaining("end the destination with /");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).as("a refused name writes nothing").isEmpty();
        }
    }

    @Test
    void aDestinationEndingInASlashIsADirectoryCreatedIfMissing() throws Exception {
        Path gz = snapshot();
        String copy = SnapshotConversion.convert(gz.toString(), dir.resolve("new/exported") + "/", Codec.LZ4, -1, null);
        assertThat(Path.of(copy)).isEqualTo(dir.resolve("new/exported/loop_1.lz4"));
        assertRestoresEqual(copy, Codec.LZ4);
    }

    @Test
    void aConversionNeverReplacesAnExistingFile() throws Exception {
        Path gz = snapshot();
        Path taken = dir.resolve("copy.xz");
        Files.write(taken, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SnapshotConversion.convert(gz.toString(), taken.toString(), Codec.XZ, 1, null))
                .isInstanceOf(SnapshotException.class)
                .hasMessage(taken
                        + " exists, and a snapshot is never replaced: remove it first or name another destination");
        // Into a directory: the snapshot's own name there is taken too.
        Path into = Files.createDirectories(dir.resolve("into"));
        Files.write(into.resolve("loop_1.xz"), new byte[] {4});
        assertThatThrownBy(() -> SnapshotConversion.convert(gz.toString(), into + "/", Codec.XZ, 1, null))
                .hasMessageContaining("loop_1.xz exists");
        assertThat(Files.readAllBytes(taken)).containsExactly(1, 2, 3);
        assertThat(Files.readAllBytes(into.resolve("loop_1.xz"))).containsExactly(4);
        try (Stream<Path> files = Files.list(into)) {
            assertThat(files).as("no temporary is left").hasSize(1);
        }
    }
}
