package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.config.Config;
import io.veles.launcher.Launcher;
import io.veles.launcher.WorkflowFactories;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

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
        heldBeforeTheFirstSnapshot = -1;
        Launcher.Outcome outcome = new Launcher(new Launcher.Request(
                        WorkflowFactories.forClass(Probed.class),
                        Config.of(Map.of(
                                "snapshotter.directory", dir.toString(),
                                "snapshotter.compression", "none",
                                "snapshotter.async", "true")),
                        null,
                        5L,
                        null,
                        null,
                        null))
                .run();
        assertThat(heldBeforeTheFirstSnapshot).as("the state's 4 MiB").isGreaterThanOrEqualTo(4L << 20);
        assertThat(outcome.lastSnapshot()).isNotNull();
    }

    /** start → probe → weights → snapshotter → end. */
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
        }
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
