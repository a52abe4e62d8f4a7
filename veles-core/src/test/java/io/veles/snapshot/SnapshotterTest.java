package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.internal.store.SnapshotDirectory;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.CapturedStderr;
import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The snapshotter's run rule (VELES's), names, the _current link, and the oversize warning. */
class SnapshotterTest {
    @TempDir
    Path dir;

    /** Counts iterations and completes after {@code iterations}; optionally gates snapshots. */
    static final class Counter extends Unit {
        final int iterations;
        final Bool complete = new Bool(false);
        final Bool odd = new Bool(false);
        int count;
        float[] weights;

        Counter(Workflow workflow, int iterations, int size) {
            super(workflow, "counter");
            this.iterations = iterations;
            this.weights = new float[size];
        }

        @Override
        public void run() {
            count++;
            weights[0] = count;
            odd.set(count % 2 == 1);
            complete.set(count >= iterations);
        }
    }

    static final class CountingWorkflow extends Workflow {
        final Counter counter;
        final Snapshotter snapshotter;

        CountingWorkflow(int iterations, int size, SnapshotSettings settings) {
            super("counting");
            Repeater repeater = new Repeater(this);
            counter = new Counter(this, iterations, size);
            snapshotter = Snapshotter.create(this, settings);
            repeater.linkFrom(startPoint());
            counter.linkFrom(repeater);
            snapshotter.linkFrom(counter);
            repeater.linkFrom(snapshotter);
            endPoint().linkFrom(counter).gateBlock(counter.complete.not());
        }

        void runAndStop() {
            initialize();
            run();
            stop();
        }
    }

    /** Names the next snapshot after the count, as a decision unit does. */
    static final class Namer extends Unit {
        private final CountingWorkflow counting;

        Namer(CountingWorkflow workflow) {
            super(workflow, "namer");
            this.counting = workflow;
        }

        @Override
        public void run() {
            counting.snapshotter.suffix("iter" + counting.counter.count);
        }
    }

    /** Names snapshots by pairs of counts: the suffix stays for two runs. */
    static final class PairNamer extends Unit {
        private final CountingWorkflow counting;

        PairNamer(CountingWorkflow workflow) {
            super(workflow, "pairs");
            this.counting = workflow;
        }

        @Override
        public void run() {
            counting.snapshotter.suffix("pair" + (counting.counter.count + 1) / 2);
        }
    }

    private SnapshotSettings settings(int interval, double timeInterval) {
        return SnapshotSettings.builder()
                .prefix("count")
                .directory(dir.toString())
                .compression(Codec.GZIP)
                .compressionLevel(1)
                .interval(interval)
                .timeInterval(timeInterval)
                .build();
    }

    private List<String> snapshotNames() {
        return new SnapshotDirectory(dir)
                .snapshots().stream()
                        .map(p -> p.getFileName().toString())
                        .sorted()
                        .collect(Collectors.toList());
    }

    @Test
    void oneSnapshotPerIntervalRunsAndAFinalOneOnStopWhenRunsWereSkipped() {
        CountingWorkflow workflow = new CountingWorkflow(10, 4, settings(3, 0));
        workflow.runAndStop();
        // Runs 3, 6 and 9 write; the 10th is counted but not written, so stop writes a final one.
        assertThat(snapshotNames()).containsExactly("count_1.gz", "count_2.gz", "count_3.gz", "count_4.gz");
        assertThat(workflow.snapshotter.destination()).endsWith("count_4.gz");
    }

    @Test
    void noFinalSnapshotWhenTheLastRunWasSnapshotted() {
        CountingWorkflow workflow = new CountingWorkflow(7, 4, settings(1, 0));
        workflow.runAndStop();
        assertThat(snapshotNames()).hasSize(7);
        assertThat(workflow.snapshotter.snapshotsTaken()).isEqualTo(7);
    }

    @Test
    void atMostOneSnapshotPerTimeInterval() {
        CountingWorkflow workflow = new CountingWorkflow(10, 4, settings(1, 3600));
        workflow.runAndStop();
        // The first is written, the others fall within the hour; stop writes the final one.
        assertThat(snapshotNames()).containsExactly("count_1.gz", "count_2.gz");
    }

    @Test
    void theSkipGateHoldsSnapshotsBackAndTheSuffixNamesThem() {
        CountingWorkflow workflow = new CountingWorkflow(6, 4, settings(1, 0));
        workflow.snapshotter.skip(workflow.counter.odd.not()); // only odd counts are saved
        Namer namer = new Namer(workflow);
        namer.linkFrom(workflow.counter);
        workflow.snapshotter.unlinkFrom(workflow.counter);
        workflow.snapshotter.linkFrom(namer);
        workflow.runAndStop();
        assertThat(snapshotNames()).containsExactly("count_iter1.gz", "count_iter3.gz", "count_iter5.gz");
    }

    /**
     * A regular snapshot under the suffix of the one before it (the decision has not moved on) is
     * marked by its number in the run, not as a stop's snapshot, and replaces nothing.
     */
    @Test
    void aRepeatedSuffixIsMarkedByTheSnapshotsNumberNotAsAStop() {
        CountingWorkflow workflow = new CountingWorkflow(5, 4, settings(1, 0));
        PairNamer pairs = new PairNamer(workflow);
        pairs.linkFrom(workflow.counter);
        workflow.snapshotter.unlinkFrom(workflow.counter);
        workflow.snapshotter.linkFrom(pairs);
        workflow.runAndStop();
        assertThat(snapshotNames())
                .containsExactly(
                        "count_pair1.gz",
                        "count_pair1_n2.gz",
                        "count_pair2.gz",
                        "count_pair2_n4.gz",
                        "count_pair2_n5.gz"); // the run's end: the 5th count ends it before it is named
    }

    @Test
    void currentPointsAtTheNewestAndTheSnapshotsRestore() throws Exception {
        CountingWorkflow workflow = new CountingWorkflow(4, 4, settings(1, 0));
        workflow.runAndStop();
        Path current = dir.resolve("count_current.gz");
        assertThat(Files.isSymbolicLink(current)).isTrue();
        assertThat(Files.readSymbolicLink(current).toString()).isEqualTo("count_4.gz");
        try (SnapshotReader reader = Snapshots.open(dir.toString())) {
            assertThat(reader.manifest().name).isEqualTo("count_4");
            CountingWorkflow restored = Snapshots.restore(reader, CountingWorkflow.class, List.of());
            assertThat(restored.counter.count).isEqualTo(4);
            assertThat(restored.counter.weights[0]).isEqualTo(4f);
            assertThat(restored.snapshotter.destination()).endsWith("count_4.gz");
        }
    }

    @Test
    void anOversizedSnapshotWarnsOnceNamingTheLargestUnits() throws Exception {
        SnapshotSettings small = SnapshotSettings.builder()
                .prefix("big")
                .directory(dir.toString())
                .compression(Codec.NONE)
                .compressionLevel(0)
                .sizeWarningBytes(1000)
                .build();
        CountingWorkflow workflow = new CountingWorkflow(3, 50_000, small);
        List<String> warnings = CapturedStderr.during(workflow::runAndStop)
                .lines()
                .filter(l -> l.contains("warning size"))
                .toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0))
                .containsPattern("largest units: counter 195\\.\\d KiB, counting \\d+ B, snapshotter");
    }
}
