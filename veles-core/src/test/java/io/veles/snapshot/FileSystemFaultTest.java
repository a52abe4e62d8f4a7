package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.internal.store.AtomicFiles;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.snapshot.SnapshotSettings.FailurePolicy;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.FailingWritebackDisk;
import io.veles.testing.Tmpfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real file-system faults while snapshotting: a full disk, a read-only file system. The run
 * reports one clear error (or goes on, with on_failure=warn), and every earlier snapshot stays
 * whole with {@code _current} on one of them.
 */
@Tag("slow")
class FileSystemFaultTest {
    @TempDir
    Path dir;

    private static SnapshotSettings settings(Path directory, FailurePolicy policy) {
        return settings(directory, policy, Codec.NONE);
    }

    /** Asynchronous (the default); gz's copy is shuffled and checksummed in the background, where the full disk stops it. */
    private static SnapshotSettings settings(Path directory, FailurePolicy policy, Codec codec) {
        return SnapshotSettings.builder()
                .prefix("fault")
                .directory(directory.toString())
                .compression(codec)
                .compressionLevel(codec.minLevel())
                .onFailure(policy)
                .build();
    }

    /** Each snapshot holds about 400 KiB of weights. */
    private static SnapshotterTest.CountingWorkflow workflow(int iterations, SnapshotSettings settings) {
        return workflow(iterations, 100_000, settings);
    }

    private static SnapshotterTest.CountingWorkflow workflow(int iterations, int weights, SnapshotSettings settings) {
        SnapshotterTest.CountingWorkflow workflow = new SnapshotterTest.CountingWorkflow(iterations, weights, settings);
        java.util.Random random = new java.util.Random(5); // values a compressor cannot shrink away
        float[] values = workflow.counter.weights;
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return workflow;
    }

    private static void assertEarlierSnapshotsWhole(Path directory, int atLeast) throws Exception {
        List<Path> snapshots = new SnapshotDirectory(directory).snapshots();
        assertThat(snapshots).hasSizeGreaterThanOrEqualTo(atLeast);
        for (Path snapshot : snapshots) {
            try (SnapshotReader reader = Snapshots.openFile(snapshot)) {
                reader.verify();
            }
        }
        try (SnapshotReader reader = Snapshots.open(directory.toString())) {
            reader.verify();
        }
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.filter(AtomicFiles::isTemporary))
                    .as("no temporary file left behind")
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Codec.class,
            names = {"NONE", "GZIP"})
    void aFullDiskFailsTheRunWithOneClearErrorAndKeepsEarlierSnapshots(Codec codec) throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("small"), "2m")) {
            SnapshotterTest.CountingWorkflow workflow = workflow(50, settings(disk.path(), FailurePolicy.FAIL, codec));
            workflow.initialize();
            assertThatThrownBy(workflow::run)
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("cannot write " + disk.path().resolve("fault_"))
                    .hasMessageContaining("No space left on device")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertEarlierSnapshotsWhole(disk.path(), 2);
        }
    }

    /**
     * A disk that accepts every write and fails in writeback (a loop disk whose image runs out of
     * room): the snapshot fails at the wait for its writeback or at its fsync, with one clear line,
     * is never renamed into place, and the earlier ones stay whole. Snapshots of 11.4 MiB (3
     * million floats), more than a stretch of writing behind, so that the wait is reached.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Codec.class,
            names = {"NONE", "GZIP"})
    void aFailedWritebackFailsTheRunWithOneClearErrorAndKeepsEarlierSnapshots(Codec codec) throws Exception {
        try (FailingWritebackDisk disk = FailingWritebackDisk.mount(dir.resolve("failing"), 24, 512)) {
            SnapshotterTest.CountingWorkflow workflow =
                    workflow(50, 3_000_000, settings(disk.path(), FailurePolicy.FAIL, codec));
            workflow.initialize();
            assertThatThrownBy(workflow::run)
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("cannot write " + disk.path().resolve("fault_"))
                    .satisfies(e -> assertThat(e.getMessage())
                            .containsAnyOf("Input/output error", "No space left on device")
                            .doesNotContain("\n"));
            assertEarlierSnapshotsWhole(disk.path(), 1);
            // Not stopped: stopping would snapshot again onto the failing disk. Its prefix lock
            // stays open until the test's JVM ends, which the disk's lazy unmount allows.
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Codec.class,
            names = {"NONE", "GZIP"})
    void withOnFailureWarnTheRunGoesOnAndTriesAgain(Codec codec) throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("small"), "2m")) {
            SnapshotterTest.CountingWorkflow workflow = workflow(12, settings(disk.path(), FailurePolicy.WARN, codec));
            workflow.initialize();
            workflow.run();
            workflow.stop();
            assertThat(workflow.counter.count).isEqualTo(12); // the run finished
            int written = new SnapshotDirectory(disk.path()).snapshots().size();
            assertThat(workflow.snapshotter.snapshotsTaken()).isEqualTo(written);
            assertThat(workflow.snapshotter.destination()).endsWith("fault_" + written + codec.extension());
            assertEarlierSnapshotsWhole(disk.path(), 2);
        }
    }

    @Test
    void aReadOnlyFileSystemIsReportedAndEarlierSnapshotsStay() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("ro"), "8m")) {
            SnapshotterTest.CountingWorkflow workflow = workflow(2, settings(disk.path(), FailurePolicy.FAIL));
            workflow.initialize();
            workflow.run();
            workflow.snapshotter.awaitWritten();
            workflow.stop(); // the run ends: its prefix lock (a file open for writing) is released
            disk.remountReadOnly();
            SnapshotterTest.CountingWorkflow next = workflow(2, settings(disk.path(), FailurePolicy.FAIL));
            // Reported when the next run takes the prefix's lock at start, or at its first write.
            assertThatThrownBy(() -> {
                        next.initialize();
                        next.run();
                    })
                    .hasMessageContaining("Read-only file system");
            assertEarlierSnapshotsWhole(disk.path(), 2);
        }
    }

    @Test
    void aSnapshotDirectoryOnAnotherFileSystemWorks() throws Exception {
        // The working directory is on disk, the snapshots on a tmpfs: temporaries are written
        // next to their snapshot, so the final rename never crosses file systems.
        try (Tmpfs other = Tmpfs.mount(dir.resolve("other"), "8m")) {
            SnapshotterTest.CountingWorkflow workflow =
                    workflow(3, settings(other.path().resolve("deep/er"), FailurePolicy.FAIL));
            workflow.initialize();
            workflow.run();
            workflow.stop(); // the last snapshot may still be written in the background until then
            assertEarlierSnapshotsWhole(other.path().resolve("deep/er"), 3);
        }
    }
}
