package io.veles.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.config.Config;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshotter;
import io.veles.snapshot.Snapshotter.FinalSnapshot;
import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A stop asked from Java ({@link Launcher#requestStop()}) at any unit boundary, mid-epoch included,
 * leaves a final snapshot from which a resume ends bit for bit as the uninterrupted run.
 */
class FinalSnapshotTest {
    @TempDir
    Path dir;

    // A run is 4 epochs of 3 iterations; an iteration runs repeater, draw, mix and after (4 units),
    // and the snapshotter too at an epoch's end: 52 unit runs in all.
    @ParameterizedTest(name = "stop at unit run {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 11, 12, 13, 17, 23, 26, 29, 30, 31, 40, 47, 50})
    void aStopAtAnyUnitBoundaryLeavesAFinalSnapshotThatResumesBitForBit(int stopAt) {
        String expected = run(-1, null).workflow().toString();

        Launcher.Outcome stopped = run(stopAt, null);
        assertThat(stopped.stopped()).isTrue();
        FinalSnapshot last = stopped.finalSnapshots().get(0);
        assertThat(last.outcome()).isEqualTo(FinalSnapshot.Outcome.WRITTEN);
        assertThat(last.unitsRun()).isPositive();
        assertThat(Path.of(last.snapshot())).exists();
        assertThat(stopped.lastSnapshot()).isEqualTo(last.snapshot());

        Launcher.Outcome resumed = run(-1, last.snapshot());
        assertThat(resumed.stopped()).isFalse();
        assertThat(resumed.workflow().toString()).isEqualTo(expected);
    }

    /**
     * A stop's snapshot is one the uninterrupted run never takes: the stopped and resumed run
     * writes the uninterrupted run's snapshots under the same names, holding the same snapshotter
     * state, and its stop's snapshot apart from them ({@code _stop}). Run 11 is the mix that ends
     * epoch 1, just before the snapshot it names: the stop's snapshot once took that name.
     */
    @ParameterizedTest(name = "stop at unit run {0}")
    @ValueSource(ints = {4, 11, 12, 13, 19, 24})
    void aStopsSnapshotLeavesTheRunsOwnSnapshotsAsTheUninterruptedRunWritesThem(int stopAt) throws Exception {
        Map<String, String> whole =
                Map.of("snapshotter.directory", dir.resolve("whole").toString());
        Map<String, String> parts =
                Map.of("snapshotter.directory", dir.resolve("parts").toString());
        run(-1, null, whole);
        String stopSnapshot = run(stopAt, null, parts).finalSnapshots().get(0).snapshot();
        assertThat(stopSnapshot).endsWith("_stop");
        run(-1, stopSnapshot, parts);
        Map<String, String> expected = snapshotterStates(dir.resolve("whole"));
        Map<String, String> resumed = snapshotterStates(dir.resolve("parts"));
        resumed.keySet().removeIf(name -> name.endsWith("_stop"));
        assertThat(resumed).isEqualTo(expected);
    }

    /**
     * A resume from a stop's snapshot that is stopped again before any unit ran writes nothing:
     * the runs the cadence counts since its last regular snapshot (one here: the snapshot is due
     * every second epoch) are in the stop's snapshot already.
     */
    @Test
    void aStopRightAfterResumingFromAStopsSnapshotWritesNothingNew() {
        Map<String, String> everySecond = Map.of("snapshotter.interval", "2");
        String stop = run(15, null, everySecond).finalSnapshots().get(0).snapshot();
        assertThat(stop).endsWith("_stop");
        Launcher.Outcome again = run(0, stop, everySecond);
        assertThat(again.finalSnapshots().get(0).outcome()).isEqualTo(FinalSnapshot.Outcome.NOTHING_NEW);
    }

    /**
     * A stop's snapshot decides no deletion: it carries the metric of the epoch snapshot before it
     * and is newer, so keep_best=1 once kept it and deleted that epoch's snapshot, the best model
     * (and the resumed process, which does not own the stop's snapshot, would never prune it).
     */
    @Test
    void aStopsSnapshotNeverMakesRetentionDeleteARegularOne() throws Exception {
        Map<String, String> keepBest = Map.of("snapshotter.keep_best", "1");
        Launcher.Outcome stopped = run(15, null, keepBest); // in epoch 2, after epoch 1's snapshot
        assertThat(stopped.finalSnapshots().get(0).snapshot()).endsWith("epochs_e1_stop");
        try (Stream<Path> files = Files.list(dir.resolve("snaps"))) {
            assertThat(files.map(file -> file.getFileName().toString())).contains("epochs_e1", "epochs_e1_stop");
        }
    }

    /** Each regular snapshot file in {@code directory} by name, with its snapshotter's cadence state. */
    private static Map<String, String> snapshotterStates(Path directory) throws Exception {
        Map<String, String> states = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> !Files.isSymbolicLink(f)
                            && !f.getFileName().toString().startsWith("."))
                    .collect(Collectors.toList())) {
                try (io.veles.snapshot.file.SnapshotReader reader = io.veles.snapshot.Snapshots.openFile(file)) {
                    Workflow restored = reader.restore(io.veles.pickle.RestoreRules.forWorkflow(EpochWorkflow.class))
                            .workflow();
                    Snapshotter snapshotter = (Snapshotter) restored.units().stream()
                            .filter(Snapshotter.class::isInstance)
                            .findFirst()
                            .orElseThrow();
                    states.put(file.getFileName().toString(), "taken=" + snapshotter.snapshotsTaken() + " " + restored);
                }
            }
        }
        return states;
    }

    @Test
    void aStopMidEpochNamesItsSnapshotApartFromTheEpochsOwn() throws Exception {
        // Epoch 1's snapshot is unit run 12; run 19 is the draw of epoch 2's second iteration.
        Launcher.Outcome stopped = run(19, null);
        try (Stream<Path> files = Files.list(dir.resolve("snaps"))) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList()))
                    .contains("epochs_e1", "epochs_e1_stop", "epochs_current");
        }
        FinalSnapshot last = stopped.finalSnapshots().get(0);
        assertThat(last.snapshot()).endsWith("epochs_e1_stop");
        assertThat(last.info()).containsEntry("epoch", 1);
        assertThat(last.resumeAfter()).isEqualTo("draw");
    }

    /**
     * With a second snapshotter that saved only epoch 1 and skips the stop, the run's last
     * snapshot is the first snapshotter's stop snapshot, the newest state: not the second's
     * epoch 1, which the last snapshotter in unit order holds.
     */
    @Test
    void theLastSnapshotIsTheNewestOfAllSnapshottersNotTheLastSnapshottersOwn() {
        Launcher.Outcome stopped = run(31, null, Map.of("first_epoch_too", "true")); // in epoch 3
        assertThat(stopped.finalSnapshots())
                .extracting(FinalSnapshot::outcome)
                .containsExactly(FinalSnapshot.Outcome.WRITTEN, FinalSnapshot.Outcome.SKIPPED);
        assertThat(dir.resolve("snaps").resolve("first_1"))
                .as("the second snapshotter's epoch 1")
                .exists();
        assertThat(stopped.lastSnapshot()).endsWith("epochs_e2_stop");
    }

    /**
     * A workflow with two snapshotters resumes: the resume's location (here the defaults) would
     * give both one prefix, and the second could not take the prefix's lock, so it keeps the
     * prefix it wrote under.
     */
    @Test
    void aWorkflowWithTwoSnapshottersResumesBitForBit() {
        Map<String, String> two = Map.of("first_epoch_too", "true");
        String expected = run(-1, null, two).workflow().toString();
        Launcher.Outcome stopped = run(31, null, two);
        assertThat(stopped.stopped()).isTrue();

        Launcher.Outcome resumed = run(-1, stopped.lastSnapshot(), two);
        assertThat(resumed.stopped()).isFalse();
        assertThat(resumed.workflow().toString()).isEqualTo(expected);
    }

    /**
     * A snapshotter whose stop snapshot fails (its directory is a file) fails the run, but only
     * after the next snapshotter has written its own: that one holds the state the run stopped in.
     */
    @Test
    void aFailedStopSnapshotLeavesTheOtherSnapshottersToWriteTheirs() throws Exception {
        Path blocked = dir.resolve("snaps");
        Path second = dir.resolve("second");
        beforeStop = () -> { // the first snapshotter's directory becomes a file just before the stop
            try {
                Files.move(blocked, dir.resolve("snaps-aside"));
                Files.writeString(blocked, "not a directory");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try {
            assertThatThrownBy(() -> run(
                            2, // in epoch 1, before either snapshotter's first regular snapshot
                            null,
                            Map.of("first_epoch_too", "true", "first_dir", second.toString())))
                    .isInstanceOf(io.veles.errors.SnapshotException.class)
                    .hasMessageContaining(blocked.toString());
        } finally {
            beforeStop = null;
        }
        try (Stream<Path> files = Files.list(second)) {
            assertThat(files.map(file -> file.getFileName().toString())).contains("first_1_stop");
        }
    }

    /**
     * A resume writes where its own command line says, not where the snapshot was written: when
     * the two differ the log says both, since a later resume from the old place would miss the
     * new snapshots. Not when they are the same.
     */
    @Test
    void aResumeWritingElsewhereSaysWhereTheRunBeforeWrote() throws Exception {
        String stop = run(19, null).finalSnapshots().get(0).snapshot();
        String elsewhere = dir.resolve("elsewhere").toString();
        String moved =
                io.veles.testing.CapturedStderr.during(() -> run(-1, stop, Map.of("snapshotter.directory", elsewhere)));
        assertThat(moved)
                .contains("snapshots of this run go to directory " + elsewhere)
                .contains("the run before wrote them to directory " + dir.resolve("snaps"));
        String stopAgain = run(19, null).finalSnapshots().get(0).snapshot();
        String same = io.veles.testing.CapturedStderr.during(() -> run(-1, stopAgain));
        assertThat(same).doesNotContain("the run before wrote them");
    }

    @Test
    void aStopBeforeAnyUnitRanAfterARestoreWritesNothingAndNamesTheRestoredSnapshot() {
        String epochOne = run(19, null).finalSnapshots().get(0).snapshot();
        Launcher.Outcome stopped = run(0, epochOne);
        assertThat(stopped.stopped()).isTrue();
        assertThat(stopped.finalSnapshots().get(0).outcome()).isEqualTo(FinalSnapshot.Outcome.NOTHING_NEW);
        assertThat(stopped.lastSnapshot()).isEqualTo(epochOne);
    }

    @Test
    void skipVetoesTheFinalSnapshotAndSaysSo() {
        Launcher.Outcome stopped = run(4, null, Map.of("skip_all", "true"));
        assertThat(stopped.finalSnapshots().get(0).outcome()).isEqualTo(FinalSnapshot.Outcome.SKIPPED);
        assertThat(stopped.lastSnapshot()).isNull();
        assertThat(dir.resolve("snaps")).doesNotExist();
    }

    /**
     * A snapshotter.* setting the snapshotter does not read (misspelled) stops a fresh run before
     * it starts, naming it and the settings there are; a resume, which reads its settings from
     * the snapshot, only warns.
     */
    @Test
    void aMisspelledSnapshotterSettingStopsAFreshRunBeforeItStarts() {
        assertThatThrownBy(() -> run(-1, null, Map.of("snapshotter.keep_lst", "3")))
                .isInstanceOf(io.veles.config.ConfigException.class)
                .hasMessageStartingWith("setting snapshotter.keep_lst is not read by the snapshotter (misspelled?);"
                        + " its settings are snapshotter.prefix, snapshotter.directory")
                .hasMessageContaining("snapshotter.keep_last");
        assertThat(dir.resolve("snaps")).as("nothing ran").doesNotExist();
        String epochOne = run(19, null).finalSnapshots().get(0).snapshot();
        assertThat(run(-1, epochOne, Map.of("snapshotter.keep_lst", "3")).stopped())
                .isFalse();
    }

    private Launcher.Outcome run(int stopAt, String snapshot) {
        return run(stopAt, snapshot, Map.of());
    }

    /** Runs, asking to stop after unit run {@code stopAt} of this process (0: at initialisation; -1: never). */
    private Launcher.Outcome run(int stopAt, String snapshot, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "snapshotter.directory",
                dir.resolve("snaps").toString(),
                "snapshotter.compression",
                "none",
                "snapshotter.async",
                "false"));
        settings.putAll(extra);
        stopAfter = stopAt;
        return new Launcher(new Launcher.Request(
                        WorkflowFactories.forClass(EpochWorkflow.class),
                        Config.of(settings),
                        snapshot,
                        11L,
                        null,
                        null,
                        null))
                .run();
    }

    /** When to ask for a stop, as a signal would: after this unit run of the process (see run()). */
    private static volatile int stopAfter = -1;

    /** Run just before the stop is asked for, or null. */
    private static volatile Runnable beforeStop;

    /**
     * start → repeater → draw → mix → snapshotter (runs at each epoch's end) → after → repeater;
     * the end opens after four epochs.
     */
    public static final class EpochWorkflow extends Workflow {
        static final int ITERATIONS_PER_EPOCH = 3;

        public EpochWorkflow(Config config) {
            super("epochs");
            Repeater repeater = new Repeater(this);
            Draw draw = new Draw(this);
            Mix mix = new Mix(this);
            Snapshotter snapshotter = Snapshotter.create(
                    this, SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("epochs")));
            if (config.getBoolean("skip_all", false)) {
                snapshotter.skip(new Bool(true));
            }
            if (config.getBoolean("first_epoch_too", false)) {
                // a second snapshotter, after the first, that saves epoch 1 only: its snapshot is old
                SnapshotSettings settings =
                        SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("first"));
                String directory = config.getString("first_dir", null);
                Snapshotter first = Snapshotter.create(
                        this,
                        directory == null
                                ? settings
                                : settings.toBuilder().directory(directory).build());
                first.linkFrom(mix).gateSkip(mix.epochEnded.not());
                first.skip(mix.pastFirstEpoch);
            }
            Unit after = new After(this, mix);
            repeater.linkFrom(startPoint());
            draw.linkFrom(repeater);
            mix.linkFrom(draw).linkAttrs(draw, "values", "drawn");
            snapshotter.linkFrom(mix).gateSkip(mix.epochEnded.not());
            mix.snapshotter = snapshotter;
            after.linkFrom(snapshotter);
            repeater.linkFrom(after);
            endPoint().linkFrom(mix).gateBlock(mix.done.not());
        }

        @Override
        public String toString() {
            Mix mix = (Mix) findUnit("mix");
            After after = (After) findUnit("after");
            return "sums=" + Arrays.toString(mix.sums) + " iteration=" + mix.iteration + " after=" + after.runs + "/"
                    + after.bits + " random=" + random().position() + " finished=" + isFinished();
        }
    }

    static final class Draw extends Unit {
        double[] drawn = new double[4];

        Draw(Workflow workflow) {
            super(workflow, "draw");
        }

        @Override
        public void initialize() {
            super.initialize();
            if (stopAfter == 0) {
                ((Launcher) runContext()).requestStop();
            }
        }

        @Override
        public void run() {
            for (int i = 0; i < drawn.length; i++) {
                drawn[i] = random().nextGaussian();
            }
            requestStopIfDue(this);
        }
    }

    /** Asks the run to stop once the process has run {@code stopAfter} units (the repeater and snapshotter don't ask). */
    static void requestStopIfDue(Unit unit) {
        Launcher launcher = (Launcher) unit.runContext();
        if (stopAfter > 0 && unit.mainWorkflow().unitsRun() >= stopAfter && !launcher.stopRequested()) {
            Runnable hook = beforeStop;
            if (hook != null) {
                hook.run();
            }
            launcher.requestStop();
        }
    }

    static final class Mix extends Unit {
        final Bool epochEnded = new Bool(false);
        final Bool done = new Bool(false);
        final Bool pastFirstEpoch = new Bool(false);
        double[] values;
        double[] sums = new double[4];
        int iteration;
        Snapshotter snapshotter;

        Mix(Workflow workflow) {
            super(workflow, "mix");
        }

        @Override
        public void run() {
            iteration++;
            pastFirstEpoch.set(iteration > EpochWorkflow.ITERATIONS_PER_EPOCH);
            for (int i = 0; i < sums.length; i++) {
                sums[i] = sums[i] * 0.5 + values[i] * random().nextDouble();
            }
            int epoch = iteration / EpochWorkflow.ITERATIONS_PER_EPOCH;
            epochEnded.set(iteration % EpochWorkflow.ITERATIONS_PER_EPOCH == 0);
            if (epochEnded.get()) {
                snapshotter.suffix("e" + epoch);
                snapshotter.info().put("epoch", epoch);
                snapshotter.info().put("validation_error", 1.0 / epoch); // each epoch the best so far
            }
            done.set(epoch >= 4 && epochEnded.get());
            requestStopIfDue(this);
        }
    }

    static final class After extends Unit {
        private final Mix mix;
        int runs;
        long bits;

        After(Workflow workflow, Mix mix) {
            super(workflow, "after");
            this.mix = mix;
        }

        @Override
        public void run() {
            runs++;
            bits = bits * 31 + Double.doubleToLongBits(mix.sums[0]);
            requestStopIfDue(this);
        }
    }
}
