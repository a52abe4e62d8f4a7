package io.veles.znicz.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.veles.config.Config;
import io.veles.config.ConfigException;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.launcher.Veles;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.znicz.StandardWorkflow;
import io.veles.znicz.nn.FullyConnected;
import io.veles.znicz.samples.SyntheticSample.SyntheticWorkflow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code synthetic model_mb=2 frozen_fraction=0.9}: a model whose frozen part, as the snapshots
 * hold it, stays bit for bit the same from epoch to epoch while the rest trains.
 */
class FrozenSyntheticTest {
    private static final double MODEL_MB = 2;
    private static final double FROZEN_FRACTION = 0.9;

    @TempDir
    static Path dir;

    private static StandardWorkflow trained;
    /** As the snapshots of epochs 1, 2 and 3 hold it. */
    private static List<StandardWorkflow> epochs;

    @BeforeAll
    static void trainThreeEpochs() throws Exception {
        trained = (StandardWorkflow) new SyntheticSample()
                .create(Config.parse(List.of(
                        "model_mb=" + MODEL_MB,
                        "frozen_fraction=" + FROZEN_FRACTION,
                        "decision.max_epochs=3",
                        "decision.fail_iterations=1000",
                        "snapshotter.directory=" + dir,
                        "snapshotter.compression=none")));
        trained.initialize();
        trained.run();
        trained.stop();
        epochs = List.of(restored(1), restored(2), restored(3));
    }

    private static StandardWorkflow restored(int epoch) throws Exception {
        for (Path file : new SnapshotDirectory(dir).snapshots()) {
            try (SnapshotReader reader = Snapshots.openFile(file)) {
                if (Integer.valueOf(epoch).equals(reader.manifest().info.get("epoch"))) {
                    return Veles.restore(SyntheticWorkflow.class)
                            .from(file.toString())
                            .load()
                            .workflow();
                }
            }
        }
        throw new AssertionError("no snapshot of epoch " + epoch + " in " + dir);
    }

    @Test
    void theFrozenLayersAreBitIdenticalBetweenEpochs() {
        assertThat(trained.frozenLayers()).isEqualTo(2);
        for (int i = 0; i < trained.frozenLayers(); i++) {
            FullyConnected first = epochs.get(0).layers().get(i);
            for (StandardWorkflow later : epochs.subList(1, 3)) {
                FullyConnected frozen = later.layers().get(i);
                assertThat(frozen.weights()).isEqualTo(first.weights());
                assertThat(frozen.bias()).isEqualTo(first.bias());
            }
        }
    }

    @Test
    void everyTrainableLayerChangesEveryEpoch() {
        for (int epoch = 1; epoch < epochs.size(); epoch++) {
            for (int i = trained.frozenLayers(); i < trained.layers().size(); i++) {
                FullyConnected before = epochs.get(epoch - 1).layers().get(i);
                FullyConnected after = epochs.get(epoch).layers().get(i);
                assertThat(after.weights())
                        .as(after.name() + " in epoch " + (epoch + 1))
                        .isNotEqualTo(before.weights());
            }
        }
    }

    @Test
    void theTrainedStateTakesModelMbOfWhichTheFrozenShare() {
        // The trained state: every layer's weights, and as much again for a trainable layer's velocities.
        long frozen = 0;
        long total = 0;
        for (int i = 0; i < trained.layers().size(); i++) {
            FullyConnected layer = trained.layers().get(i);
            long floats = layer.weights().length + layer.bias().length;
            if (i < trained.frozenLayers()) {
                frozen += floats;
                total += floats;
            } else {
                total += 2 * floats;
            }
        }
        assertThat(total * (double) Float.BYTES / (1 << 20)).isCloseTo(MODEL_MB, within(MODEL_MB * 0.1));
        assertThat((double) frozen / total).isCloseTo(FROZEN_FRACTION, within(0.05));
    }

    @Test
    void theRestStillLearns() {
        // four classes: guessing errs on 75% of the validation samples
        assertThat(trained.decision().bestValidationError()).isLessThan(0.25);
    }

    @Test
    void aFractionOfOneOrMoreIsRefusedInOneLine() {
        assertThatThrownBy(() -> new SyntheticSample().create(Config.parse(List.of("frozen_fraction=1.5"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("frozen_fraction: must be at least 0 and less than 1, got 1.5");
    }

    @Test
    void aFrozenLayerAfterATrainableOneIsRefused() {
        assertThatThrownBy(() -> new SyntheticSample().create(Config.parse(List.of("layers=8:tanh,16:tanh:frozen"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("layers: '16:tanh:frozen' is frozen after a trainable layer; frozen ones come first");
    }

    @Test
    void withoutAFractionTheModelIsAsBefore() {
        StandardWorkflow plain = (StandardWorkflow) new SyntheticSample().create(Config.parse(List.of("model_mb=2")));
        assertThat(plain.frozenLayers()).isZero();
        assertThat(plain.layers()).hasSize(2);
        // (2 MiB / 4 bytes) / (32 features + 4 classes) hidden units
        assertThat(plain.layers().get(0).outputs()).isEqualTo(14563);
    }
}
