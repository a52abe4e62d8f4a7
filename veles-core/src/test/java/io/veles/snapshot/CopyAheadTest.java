package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.config.Config;
import io.veles.launcher.Launcher;
import io.veles.launcher.WorkflowFactories;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A run through the launcher allocates an asynchronous snapshotter's copy of the state before its
 * first unit runs, so that the first snapshot pauses the run only to copy, as later ones do.
 */
class CopyAheadTest {
    @TempDir
    Path dir;

    /** What the probe saw on its first run: memory held for the copy before any snapshot. */
    private static volatile long heldBeforeTheFirstSnapshot = -1;

    @Test
    void theLauncherAllocatesTheCopyBeforeTheFirstUnitRuns() {
        Launcher.Outcome outcome = run(Map.of());
        assertThat(heldBeforeTheFirstSnapshot).as("the state's 4 MiB").isGreaterThanOrEqualTo(4L << 20);
        assertThat(outcome.lastSnapshot()).isNotNull();
    }

    @Test
    void aStateThatCannotBeSnapshottedStillFailsAtTheSnapshotWithItsOwnMessage() {
        assertThatThrownBy(() -> run(Map.of("hold_a_lock", "true")))
                .hasMessageContaining("Locked.lock")
                .hasMessageContaining("mark the field transient");
        assertThat(heldBeforeTheFirstSnapshot)
                .as("the run started: measuring ahead failed quietly and allocated nothing")
                .isZero();
    }

    private Launcher.Outcome run(Map<String, String> extra) {
        heldBeforeTheFirstSnapshot = -1;
        Map<String, String> settings = new HashMap<>(Map.of(
                "snapshotter.directory", dir.toString(),
                "snapshotter.compression", "none",
                "snapshotter.async", "true"));
        settings.putAll(extra);
        return new Launcher(new Launcher.Request(
                        WorkflowFactories.forClass(Probed.class), Config.of(settings), null, 5L, null, null, null))
                .run();
    }

    /** start → probe → weights → snapshotter → end; with {@code hold_a_lock}, a unit the snapshot refuses. */
    public static final class Probed extends Workflow {
        public Probed(Config config) {
            super("probed");
            Snapshotter snapshotter = Snapshotter.create(
                    this, SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("probed")));
            Unit probe = new Probe(this, snapshotter);
            Unit weights = new Weights(this);
            probe.linkFrom(startPoint());
            weights.linkFrom(probe);
            snapshotter.linkFrom(weights);
            endPoint().linkFrom(snapshotter);
            if (config.getBoolean("hold_a_lock", false)) {
                new Locked(this);
            }
        }
    }

    static final class Locked extends Unit {
        Object lock = new ReentrantLock();

        Locked(Workflow workflow) {
            super(workflow, "locked");
        }

        @Override
        public void run() {}
    }

    static final class Probe extends Unit {
        private final transient Snapshotter snapshotter;

        Probe(Workflow workflow, Snapshotter snapshotter) {
            super(workflow, "probe");
            this.snapshotter = snapshotter;
        }

        @Override
        public void run() {
            heldBeforeTheFirstSnapshot = snapshotter.backgroundCopyBytes();
        }
    }

    static final class Weights extends Unit {
        float[] values = new float[1 << 20];

        Weights(Workflow workflow) {
            super(workflow, "weights");
        }

        @Override
        public void run() {
            values[0]++;
        }
    }
}
