package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotLockedException;
import io.veles.internal.store.AtomicFiles;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.testing.CapturedStderr;
import io.veles.testing.LoopWorkflow;
import io.veles.testing.Tmpfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One snapshot name, one run: a name once written is never replaced (another run's, or this run's
 * before it was resumed), one live snapshotter per prefix and directory, and retention deletes
 * only the files its own snapshotter wrote.
 */
class SnapshotterNamingTest {
    @TempDir
    Path dir;

    private static SnapshotSettings settings(Path directory, String prefix, Codec codec) {
        return SnapshotSettings.builder()
                .prefix(prefix)
                .directory(directory.toString())
                .compression(codec)
                .compressionLevel(1)
                .async(false)
                .asyncMemoryBytes(0)
                .build();
    }

    @Test
    void aSecondSnapshotterOnTheSamePrefixRefusesAtStartNamingTheFirstWhateverItsFailurePolicy() throws IOException {
        SnapshotterTest.CountingWorkflow first =
                new SnapshotterTest.CountingWorkflow(3, 4, settings(dir, "count", Codec.GZIP));
        first.initialize();
        SnapshotterTest.CountingWorkflow second = new SnapshotterTest.CountingWorkflow(
                3, 4, settings(dir, "count", Codec.XZ).withOnFailure(SnapshotSettings.FailurePolicy.WARN));
        assertThatThrownBy(second::initialize)
                .isInstanceOf(SnapshotLockedException.class)
                .hasMessageStartingWith("snapshot prefix 'count' in " + dir + " is in use by run "
                        + first.runContext().id() + ", pid "
                        + ProcessHandle.current().pid() + " on host ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        first.run();
        first.stop(); // the run ends: the prefix is free
        second.initialize();
        second.run();
        second.stop();
        assertThat(files(dir))
                .containsOnlyKeys("count_1.gz", "count_2.gz", "count_3.gz", "count_1.xz", "count_2.xz", "count_3.xz");
    }

    @Test
    void aRunResumedFromAnEarlySnapshotWritesDistinctNamesAndLeavesTheLaterOnesByteForByte() throws Exception {
        SnapshotterTest.CountingWorkflow original =
                new SnapshotterTest.CountingWorkflow(8, 4, settings(dir, "count", Codec.GZIP));
        original.runAndStop();
        Map<String, byte[]> before = files(dir);
        assertThat(before).hasSize(8);

        SnapshotterTest.CountingWorkflow resumed;
        try (SnapshotReader reader = Snapshots.openFile(dir.resolve("count_3.gz"))) {
            resumed = Snapshots.restore(reader, SnapshotterTest.CountingWorkflow.class, List.of());
        }
        resumed.snapshotter.reconfigure(settings(dir, "count", Codec.GZIP)); // back into the same directory
        String log = CapturedStderr.during(() -> {
            resumed.initialize();
            resumed.resumeRun();
            resumed.stop();
        });
        String discriminator = resumed.runContext().id().replace("-", "").substring(0, 8);
        Map<String, byte[]> after = files(dir);
        for (Map.Entry<String, byte[]> earlier : before.entrySet()) {
            assertThat(after.get(earlier.getKey())).as(earlier.getKey()).isEqualTo(earlier.getValue());
        }
        for (int i = 4; i <= 8; i++) {
            String name = "count_" + i + "+" + discriminator;
            assertThat(after).containsKey(name + ".gz");
            assertThat(log)
                    .contains("snapshot name count_" + i + ".gz is taken in " + dir
                            + " by an earlier snapshot, which stays: this one is " + dir.resolve(name + ".gz"));
            try (SnapshotReader reader = Snapshots.openFile(dir.resolve(name + ".gz"))) {
                assertThat(reader.manifest().name)
                        .as("the manifest names its file")
                        .isEqualTo(name);
            }
        }
        assertThat(after).hasSize(13);
        assertThat(resumed.snapshotter.destination())
                .isEqualTo(dir.resolve("count_8+" + discriminator + ".gz").toString());
        assertThat(Files.readSymbolicLink(dir.resolve("count_current.gz")))
                .isEqualTo(Path.of("count_8+" + discriminator + ".gz"));
    }

    /**
     * Beside another prefix's snapshot, another codec's of the same prefix and another run's of
     * the same prefix (whose names this run must not take), retention deletes exactly this run's
     * files that it does not keep. It reads no other file and never lists the directory: on a
     * file system mounted with strictatime any read would show in an access time.
     */
    @Tag("slow")
    @Test
    void retentionDeletesOnlyItsOwnAndReadsNoOtherFile() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("snaps"), "64m", "strictatime")) {
            Path snaps = disk.path();
            SnapshotterTest.CountingWorkflow earlier =
                    new SnapshotterTest.CountingWorkflow(3, 4, settings(snaps, "count", Codec.GZIP));
            earlier.runAndStop();
            SnapshotterTest.CountingWorkflow otherCodec =
                    new SnapshotterTest.CountingWorkflow(2, 4, settings(snaps, "count", Codec.XZ));
            otherCodec.runAndStop();
            writeForeignSnapshot(snaps.resolve("count_x_1.gz"), "count_x_1"); // prefix count_x starts with count_
            writeForeignSnapshot(snaps.resolve("other_1.gz"), "other_1");
            Map<String, byte[]> foreign = files(snaps);
            Map<String, FileTime> foreignAccess = accessTimes(snaps);
            assertThat(foreign).hasSize(7);

            SnapshotterTest.CountingWorkflow workflow = new SnapshotterTest.CountingWorkflow(
                    6, 4, settings(snaps, "count", Codec.GZIP).withRetention(2, 0, 0));
            workflow.initialize();
            workflow.snapshotter.export(); // the first write cleans stale temporaries: it lists the directory once
            FileTime directoryAccess = accessTime(snaps);
            workflow.run();
            workflow.stop();

            // Access times first: listing and reading to compare would change them.
            FileTime directoryAccessAfter = accessTime(snaps);
            Map<String, FileTime> accessAfter = accessTimes(snaps);
            foreignAccess.remove("count_current.gz"); // the earlier run's link is this run's now: it moves
            String discriminator = workflow.runContext().id().replace("-", "").substring(0, 8);
            Map<String, byte[]> after = files(snaps);
            // Own: count_1+d (export), count_2+d, count_3+d, count_4 .. count_7: the last two stay.
            assertThat(after.keySet())
                    .containsExactlyInAnyOrder(
                            "count_1.gz",
                            "count_2.gz",
                            "count_3.gz",
                            "count_1.xz",
                            "count_2.xz",
                            "count_x_1.gz",
                            "other_1.gz",
                            "count_6.gz",
                            "count_7.gz");
            for (Map.Entry<String, byte[]> file : foreign.entrySet()) {
                assertThat(after.get(file.getKey())).as(file.getKey()).isEqualTo(file.getValue());
            }
            assertThat(accessAfter).as("no other file was read").containsAllEntriesOf(foreignAccess);
            assertThat(directoryAccessAfter)
                    .as("the directory was not listed again")
                    .isEqualTo(directoryAccess);
            assertThat(after).doesNotContainKey("count_3+" + discriminator + ".gz");

            // The check can fail: listing the directory or reading a file shows.
            try (Stream<Path> list = Files.list(snaps)) {
                assertThat(list.count()).isPositive();
            }
            Files.readAllBytes(snaps.resolve("other_1.gz"));
            assertThat(accessTime(snaps)).isNotEqualTo(directoryAccess);
            assertThat(accessTime(snaps.resolve("other_1.gz"))).isNotEqualTo(foreignAccess.get("other_1.gz"));
        }
    }

    private static void writeForeignSnapshot(Path file, String name) {
        Manifest manifest = Manifest.builder().name(name).info("suffix", "1").build();
        AtomicFiles.write(file, out -> SnapshotWriter.write(new LoopWorkflow(1, 10, -1), manifest, Codec.GZIP, 1, out));
    }

    /** The regular files of {@code directory} (not links or hidden files), by name, with their bytes. */
    private static Map<String, byte[]> files(Path directory) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path file : entries.toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        }
        return files;
    }

    private static Map<String, FileTime> accessTimes(Path directory) throws IOException {
        Map<String, FileTime> times = new TreeMap<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path file : entries.toList()) {
                if (!file.getFileName().toString().startsWith(".")) {
                    times.put(file.getFileName().toString(), accessTime(file));
                }
            }
        }
        return times;
    }

    private static FileTime accessTime(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .lastAccessTime();
    }
}
