package io.veles.znicz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.config.Config;
import io.veles.config.ConfigException;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.Manifest;
import io.veles.znicz.samples.WineSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** When the StandardWorkflow snapshots: per epoch, every N epochs, at most one per T seconds, improving only. */
class SnapshotCadenceTest {
    @TempDir
    Path dir;

    private StandardWorkflow train(String... settings) {
        List<String> all = new ArrayList<>(List.of(settings));
        all.add("snapshotter.directory=" + dir);
        all.add("snapshotter.compression=none");
        StandardWorkflow workflow = (StandardWorkflow) new WineSample().create(Config.parse(all));
        workflow.initialize();
        workflow.run();
        workflow.stop();
        return workflow;
    }

    /** The epochs and validation errors the snapshots were taken at, in order. */
    private List<Map<String, Object>> snapshots() throws Exception {
        List<Map<String, Object>> taken = new ArrayList<>();
        for (Path file : new SnapshotDirectory(dir).snapshots()) {
            try (SnapshotReader reader = Snapshots.openFile(file)) {
                Manifest manifest = reader.manifest();
                taken.add(manifest.info);
            }
        }
        taken.sort((a, b) -> Integer.compare((Integer) a.get("epoch"), (Integer) b.get("epoch")));
        return taken;
    }

    private List<Object> epochs() throws Exception {
        return snapshots().stream().map(info -> info.get("epoch")).toList();
    }

    @Test
    void everyNEpochsAndAFinalOneOnStop() throws Exception {
        train("decision.max_epochs=23", "decision.fail_iterations=1000", "snapshotter.interval=5");
        // Epochs 21 to 23 were counted but not written: stop writes the last one.
        assertThat(epochs()).containsExactly(5, 10, 15, 20, 23);
    }

    @Test
    void oncePerEpochByDefault() throws Exception {
        StandardWorkflow workflow = train("decision.max_epochs=6", "decision.fail_iterations=1000");
        assertThat(epochs()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(workflow.snapshotter().destination()).contains("wine_6_");
    }

    @Test
    void atMostOnePerTimeInterval() throws Exception {
        train("decision.max_epochs=8", "decision.fail_iterations=1000", "snapshotter.time_interval=3600");
        assertThat(epochs()).containsExactly(1, 8); // the first, then the final one on stop
    }

    @Test
    void onlyImprovingEpochsWhenGated() throws Exception {
        StandardWorkflow workflow =
                train("decision.max_epochs=30", "decision.fail_iterations=1000", "snapshotter.only_improved=true");
        List<Map<String, Object>> taken = snapshots();
        assertThat(taken).isNotEmpty().hasSizeLessThan(30);
        double previous = Double.POSITIVE_INFINITY;
        for (Map<String, Object> info : taken) {
            double error = ((Number) info.get("validation_error")).doubleValue();
            assertThat(error).as("epoch %s", info.get("epoch")).isLessThan(previous);
            previous = error;
        }
        assertThat(previous).isEqualTo(workflow.decision().bestValidationError());
    }

    /** A subclass that links gradient descent straight from the decision, around the snapshotter. */
    static final class Bypassing extends StandardWorkflow {
        Bypassing(Config config) {
            super(
                    "bypassing",
                    config,
                    io.veles.znicz.loader.DataSource.csv("/io/veles/znicz/samples/wine.csv", 0.3, 5));
        }

        @Override
        protected void link() {
            super.link();
            gradientDescents.get(gradientDescents.size() - 1).linkFrom(decision);
        }
    }

    @Test
    void aLinkAroundTheSnapshotterIsRefusedNamingThePath() {
        Bypassing workflow =
                new Bypassing(Config.of(Map.of("layers", "4:tanh", "snapshotter.directory", dir.toString())));
        assertThatThrownBy(workflow::initialize)
                .isInstanceOf(ConfigException.class)
                .hasMessage("bypassing: the snapshotter must block the whole pipeline, but repeater → loader → fc1"
                        + " → softmax → evaluator → decision → gd_softmax → gd_fc1 → repeater goes around it");
    }

    @Test
    void theWineSampleReachesZeroValidationErrors() {
        StandardWorkflow workflow = train();
        assertThat(workflow.decision().bestValidationError()).isZero();
        assertThat(workflow.decision().bestEpoch()).isLessThan(20);
    }
}
