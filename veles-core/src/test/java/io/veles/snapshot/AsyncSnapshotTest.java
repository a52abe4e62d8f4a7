package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.CapturedStderr;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Asynchronous snapshots: the workflow pauses only for a copy of its state, which is what gets
 * stored even as the state changes right after; failures in the background are reported at the
 * next snapshot; a state above the memory bound is written synchronously.
 */
class AsyncSnapshotTest {
    @TempDir
    Path dir;

    static final class Layer extends Unit {
        float[] weights = new float[3 << 20]; // 12 MiB: several compression blocks
        int step;

        Layer(Workflow workflow) {
            super(workflow, "layer");
            Random random = new Random(3);
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (random.nextGaussian() * 0.05);
            }
        }

        @Override
        public void run() {
            step++;
            for (int i = 0; i < weights.length; i += 97) {
                weights[i] += 0.001f;
            }
        }
    }

    public static final class Net extends Workflow {
        final Layer layer;

        public Net() {
            super("net");
            layer = new Layer(this);
        }
    }

    private Snapshotter snapshotter(Net net, Path where, long asyncMemory) {
        return Snapshotter.create(
                net,
                SnapshotSettings.builder()
                        .prefix("net")
                        .directory(where.toString())
                        .compression(Codec.GZIP)
                        .compressionLevel(1)
                        .async(true)
                        .asyncMemoryBytes(asyncMemory)
                        .build());
    }

    private static Net restore(Path file) throws Exception {
        try (SnapshotReader reader = Snapshots.openFile(file)) {
            return Snapshots.restore(reader, Net.class, List.of());
        }
    }

    @Test
    void theSnapshotHoldsTheStateAtThePauseWhileTheWorkflowMovesOn() throws Exception {
        Net net = new Net();
        Snapshotter snapshotter = snapshotter(net, dir, 1L << 30);
        net.initialize();
        net.layer.run();
        float[] atSnapshot = net.layer.weights.clone();
        snapshotter.run(); // copies the state and returns; compression goes on in the background
        net.layer.run(); // the state changes while the snapshot is being written
        net.layer.run();
        snapshotter.awaitWritten();

        Net restored = restore(Path.of(snapshotter.destination()));
        assertThat(restored.layer.step).isEqualTo(1);
        assertThat(Arrays.equals(restored.layer.weights, atSnapshot)).isTrue();
        assertThat(snapshotter.lastPauseNanos()).isPositive();
    }

    @Test
    void theFirstSnapshotCopiesIntoMemoryAllocatedAheadOfIt() throws Exception {
        Net net = new Net();
        Snapshotter snapshotter = snapshotter(net, dir, 1L << 30);
        net.initialize();
        net.layer.run();
        float[] atSnapshot = net.layer.weights.clone();
        snapshotter.reserveBackgroundCopy();
        long reserved = snapshotter.backgroundCopyBytes();
        assertThat(reserved).as("the state's 12 MiB, before any snapshot").isGreaterThanOrEqualTo(12L << 20);

        snapshotter.run();
        net.layer.run();
        snapshotter.awaitWritten();
        // The header and manifest may take one piece more; the state's bytes took none.
        assertThat(snapshotter.backgroundCopyBytes()).isLessThanOrEqualTo(reserved + (256 << 10));
        Net restored = restore(Path.of(snapshotter.destination()));
        assertThat(Arrays.equals(restored.layer.weights, atSnapshot)).isTrue();
        snapshotter.stop();
    }

    @Test
    void nothingIsAllocatedAheadForAStateAboveTheMemoryBoundOrForSynchronousSnapshots() {
        Net net = new Net();
        Snapshotter aboveTheBound = snapshotter(net, dir, 1L << 20);
        Snapshotter synchronous = Snapshotter.create(
                net,
                SnapshotSettings.builder()
                        .prefix("sync")
                        .directory(dir.toString())
                        .async(false)
                        .build());
        net.initialize();
        aboveTheBound.reserveBackgroundCopy();
        synchronous.reserveBackgroundCopy();
        assertThat(aboveTheBound.backgroundCopyBytes()).isZero();
        assertThat(synchronous.backgroundCopyBytes()).isZero();
    }

    @Test
    void atMostOneSnapshotIsInFlightAndStopWaitsForTheLast() throws Exception {
        Net net = new Net();
        Snapshotter snapshotter = snapshotter(net, dir, 1L << 30);
        net.initialize();
        for (int i = 0; i < 3; i++) {
            net.layer.run();
            snapshotter.run();
        }
        net.layer.run();
        snapshotter.stop(); // no runs since the last snapshot: no final one, but the last must be complete
        List<Path> files = new SnapshotDirectory(dir).snapshots();
        assertThat(files).hasSize(3);
        for (Path file : files) {
            try (SnapshotReader reader = Snapshots.openFile(file)) {
                reader.verify();
            }
        }
        assertThat(restore(SnapshotDirectory.resolveSource(dir)).layer.step).isEqualTo(3);
    }

    @Test
    void aSnapshotDueWhileThePreviousIsBeingWrittenSaysHowLongTheRunWaitedForIt() throws Exception {
        Net net = new Net();
        Snapshotter snapshotter = snapshotter(net, dir, 1L << 30);
        net.initialize();
        String log = CapturedStderr.during(() -> {
            for (int i = 0; i < 3; i++) { // back to back: 12 MiB take longer to compress than to copy
                net.layer.run();
                snapshotter.run();
            }
            snapshotter.stop();
        });
        List<String> lines =
                log.lines().filter(line -> line.contains("the run paused")).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).doesNotContain("waiting");
        assertThat(lines.subList(1, 3))
                .allSatisfy(
                        line -> assertThat(line)
                                .containsPattern(
                                        "the run paused \\d+\\.\\d{3} s for the copy after \\d+\\.\\d{3} s waiting for the previous one,"));
    }

    @Test
    void aBackgroundFailureIsReportedAtTheNextSnapshotAndNothingPartialIsLeft() throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked);
        Net net = new Net();
        Snapshotter snapshotter = snapshotter(net, blocked, 1L << 30);
        net.initialize();
        snapshotter.run();
        snapshotter.awaitWritten();
        String good = snapshotter.destination();
        // The directory becomes unusable for the next write: a file takes its place.
        Path moved = dir.resolve("moved");
        Files.move(blocked, moved);
        Files.writeString(blocked, "not a directory");
        snapshotter.run(); // the copy succeeds; the background write fails
        assertThatThrownBy(snapshotter::awaitWritten).isInstanceOf(SnapshotException.class);
        assertThat(snapshotter.destination())
                .as("the last snapshot that was stored")
                .isEqualTo(good);
        Files.delete(blocked);
        Files.move(moved, blocked);
        assertThat(new SnapshotDirectory(blocked).snapshots()).hasSize(1);
    }

    /** Snapshots of {@code net}, uncompressed, into {@code directory}, logging failures and going on; {@code more} adds settings. */
    private static Snapshotter warning(Net net, Path directory, UnaryOperator<SnapshotSettings.Builder> more) {
        return Snapshotter.create(
                net,
                more.apply(SnapshotSettings.builder()
                                .prefix("net")
                                .directory(directory.toString())
                                .compression(Codec.NONE)
                                .onFailure(SnapshotSettings.FailurePolicy.WARN))
                        .build());
    }

    private static final UnaryOperator<SnapshotSettings.Builder> ASYNC =
            settings -> settings.async(true).asyncMemoryBytes(1L << 30);

    /** Puts a file where {@code directory} was, so that writing there fails; returns where the directory went. */
    private static Path block(Path directory) throws IOException {
        Path aside = directory.resolveSibling(directory.getFileName() + "-aside");
        Files.move(directory, aside);
        Files.writeString(directory, "not a directory");
        return aside;
    }

    /** Puts {@code directory} back from {@code aside}. */
    private static void unblock(Path directory, Path aside) throws IOException {
        Files.delete(directory);
        Files.move(aside, directory);
    }

    /** The snapshot files in {@code directory}, by name, without its hidden lock. */
    private static List<String> snapshotNames(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .collect(java.util.stream.Collectors.toList());
        }
    }

    /**
     * A stop right after a background write failed (on_failure=warn) owes a snapshot of what that
     * write was to save: the failure is collected before the units run since are counted, so the
     * stop is not told that nothing is new.
     */
    @Test
    void aStopAfterAFailedBackgroundWriteStillOwesTheSnapshot() throws Exception {
        Path target = Files.createDirectories(dir.resolve("blocked"));
        Net net = new Net();
        Snapshotter snapshotter = warning(net, target, ASYNC);
        net.initialize();
        snapshotter.run();
        snapshotter.awaitWritten();
        block(target);
        snapshotter.run(); // the copy succeeds; the background write fails, not yet collected

        Snapshotter.FinalSnapshot last = snapshotter.takeFinalSnapshot();
        assertThat(last.outcome())
                .as("the failed write's runs are unsaved, and the final snapshot cannot be written either")
                .isEqualTo(Snapshotter.FinalSnapshot.Outcome.FAILED);
        assertThat(last.unitsRun()).isPositive();
    }

    /**
     * Under on_failure=fail (the default) a background write's failure ends the run, but not
     * before the stop's snapshot is tried: the live state holds what the failed write was to save,
     * and without that snapshot a stop would lose everything since the last good one.
     */
    @Test
    void aFailedBackgroundWriteUnderOnFailureFailStillLeavesTheStopsSnapshot() throws Exception {
        Path target = Files.createDirectories(dir.resolve("failing"));
        Net net = new Net();
        Snapshotter snapshotter = snapshotter(net, target, 1L << 30);
        net.initialize();
        snapshotter.run();
        snapshotter.awaitWritten();
        Path aside = block(target);
        snapshotter.run(); // the copy succeeds; the background write fails, not yet collected
        while (!snapshotter.backgroundWriteEnded()) {
            Thread.sleep(5);
        }
        unblock(target, aside);
        net.layer.run(); // the state moves on after the failed snapshot's copy

        assertThatThrownBy(snapshotter::takeFinalSnapshot)
                .as("the background failure still ends the run")
                .isInstanceOf(SnapshotException.class);
        assertThat(snapshotNames(target)).contains("net_1.gz", "net_2_stop.gz");
        assertThat(snapshotter.lastStored()).endsWith("net_2_stop.gz");
        assertThat(restore(target.resolve("net_2_stop.gz")).layer.weights).isEqualTo(net.layer.weights);
    }

    /**
     * A background write that failed (on_failure=warn) is as if it had not been taken: the next
     * snapshot takes its number, not that number with "_stop" (a stop's mark).
     */
    @Test
    void aSnapshotAfterAFailedBackgroundWriteTakesItsNameNotAStopsName() throws Exception {
        Path target = Files.createDirectories(dir.resolve("numbered"));
        Net net = new Net();
        Snapshotter snapshotter = warning(net, target, ASYNC);
        net.initialize();
        snapshotter.run();
        snapshotter.awaitWritten();
        Path aside = block(target);
        snapshotter.run(); // number 2, failing in the background
        snapshotter.awaitWritten();
        unblock(target, aside);
        snapshotter.run();
        snapshotter.awaitWritten();
        assertThat(snapshotNames(target)).containsExactlyInAnyOrder("net_1", "net_2", "net_current");
    }

    /**
     * A stop's snapshot that failed (on_failure=warn) is reported failed and not tried again when
     * the units stop: by then other units may have stopped, and the snapshot would hold that.
     */
    @Test
    void aStopsSnapshotThatFailedIsNotTriedAgainWhenTheUnitsStop() throws Exception {
        Path target = Files.createDirectories(dir.resolve("once"));
        Net net = new Net();
        Snapshotter snapshotter = warning(net, target, settings -> settings.interval(2));
        net.initialize();
        snapshotter.run(); // the first of two runs per snapshot: nothing written yet
        Path aside = block(target);
        assertThat(snapshotter.takeFinalSnapshot().outcome()).isEqualTo(Snapshotter.FinalSnapshot.Outcome.FAILED);
        unblock(target, aside);
        snapshotter.stop();
        assertThat(snapshotNames(target)).isEmpty();
    }

    /**
     * A snapshot that failed in the background (on_failure=warn) does not restart the
     * time_interval's wait: once its write has ended, the next run undoes it and, the interval
     * since the last stored snapshot being over, tries again at once, where it once waited a whole
     * interval more.
     */
    @Test
    void aFailedBackgroundWriteDoesNotRestartTheTimeIntervalsWait() throws Exception {
        Path target = Files.createDirectories(dir.resolve("timed"));
        Net net = new Net();
        Snapshotter snapshotter =
                warning(net, target, settings -> ASYNC.apply(settings).timeInterval(2));
        net.initialize();
        snapshotter.run();
        snapshotter.awaitWritten();
        String first = snapshotter.lastStored();
        Thread.sleep(2_100); // the interval since the first is over
        Path aside = block(target);
        snapshotter.run(); // the copy succeeds; the background write fails
        while (!snapshotter.backgroundWriteEnded()) { // ended, and not collected: no run has come since
            Thread.sleep(10);
        }
        unblock(target, aside);
        snapshotter.run(); // at once, well within an interval of the failed snapshot
        snapshotter.awaitWritten();
        assertThat(snapshotter.lastStored())
                .as("a snapshot stored after the failed one")
                .isNotEqualTo(first);
    }

    @Test
    void aStateAboveTheMemoryBoundIsWrittenSynchronously() throws Exception {
        Net net = new Net();
        Snapshotter snapshotter = snapshotter(net, dir, 1 << 20);
        net.initialize();
        snapshotter.run();
        assertThat(Path.of(snapshotter.destination()))
                .as("written before run() returned")
                .exists();
    }
    /**
     * A fact that notes each thread that reads it, as Jackson writes it; captured with the
     * snapshotter's state, but for the notes.
     */
    public static final class WatchedFact {
        final java.util.Set<String> readBy_ = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final List<Integer> values = new java.util.ArrayList<>();

        public List<Integer> getValues() {
            readBy_.add(Thread.currentThread().getName());
            return values;
        }
    }

    /**
     * An asynchronous differential snapshot writes its file's manifest on the background thread,
     * after the pause: a fact the run goes on changing (a history it appends to) must have been
     * read in the pause, or that manifest and the one in the pause disagree and the stored
     * snapshot is refused on restore.
     */
    @Test
    void factsRecordedWithASnapshotAreReadDuringThePauseOnly() throws Exception {
        Net net = new Net();
        Snapshotter snapshotter = Snapshotter.create(
                net,
                SnapshotSettings.builder()
                        .prefix("net")
                        .directory(dir.toString())
                        .compression(Codec.GZIP)
                        .compressionLevel(1)
                        .async(true)
                        .asyncMemoryBytes(1L << 30)
                        .incremental(true)
                        .build());
        WatchedFact history = new WatchedFact();
        snapshotter.info().put("history", history);
        net.initialize();
        for (int epoch = 1; epoch <= 3; epoch++) { // the first full, then differential
            net.layer.run();
            history.values.add(epoch);
            snapshotter.run();
            history.values.add(-epoch); // the run goes on: this belongs to the next snapshot
        }
        snapshotter.awaitWritten();
        snapshotter.stop();

        assertThat(history.readBy_).containsExactly(Thread.currentThread().getName());
        Net restored = restore(Path.of(snapshotter.destination()));
        assertThat(restored.layer.step).isEqualTo(3);
    }
}
