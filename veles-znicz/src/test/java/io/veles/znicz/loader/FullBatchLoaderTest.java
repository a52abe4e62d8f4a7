package io.veles.znicz.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class FullBatchLoaderTest {
    /** Serves one epoch; returns the sets served, in order, and the training rows' first features. */
    private static List<String> epoch(FullBatchLoader loader, List<Float> trainingFirstFeatures) {
        List<String> sets = new ArrayList<>();
        do {
            loader.run();
            String name = loader.minibatchSet == FullBatchLoader.TEST
                    ? "test"
                    : loader.minibatchSet == FullBatchLoader.VALIDATION ? "validation" : "training";
            sets.add(name + ":" + loader.minibatchCount);
            if (loader.minibatchSet == FullBatchLoader.TRAINING) {
                for (int k = 0; k < loader.minibatchCount; k++) {
                    trainingFirstFeatures.add(
                            loader.minibatchData[k * loader.data().width()]);
                }
            }
        } while (!loader.epochEnded().get());
        return sets;
    }

    @Test
    void servesTestThenValidationThenShuffledTrainingEveryEpoch() {
        Workflow workflow = new Workflow("w");
        FullBatchLoader loader = new FullBatchLoader(
                workflow, DataSource.generated(100, 3, 2, 1, 9, 0.2).withTestRatio(0.1), 25);
        Dataset data = loader.data();
        assertThat(data.testSamples()).isEqualTo(10);
        assertThat(data.validationSamples()).isEqualTo(20);
        assertThat(data.trainingSamples()).isEqualTo(70);

        List<Float> first = new ArrayList<>();
        List<Float> second = new ArrayList<>();
        assertThat(epoch(loader, first))
                .containsExactly("test:10", "validation:20", "training:25", "training:25", "training:20");
        assertThat(epoch(loader, second))
                .containsExactly("test:10", "validation:20", "training:25", "training:25", "training:20");
        assertThat(first).hasSize(70).doesNotHaveDuplicates();
        assertThat(second).containsExactlyInAnyOrderElementsOf(first).isNotEqualTo(first); // reshuffled
    }

    @Test
    void theSplitAndNormalisationAreTheSameEveryTimeTheDataIsLoaded() {
        DataSource source = DataSource.csv("/io/veles/znicz/samples/wine.csv", 0.3, 5);
        Dataset once = source.load();
        Dataset again = source.load();
        assertThat(once.samples()).isEqualTo(178);
        assertThat(once.width()).isEqualTo(13);
        assertThat(once.classes()).isEqualTo(3);
        assertThat(again.order).isEqualTo(once.order);
        assertThat(again.features).isEqualTo(once.features);
        double mean = 0;
        for (int k = once.trainingStart(); k < once.samples(); k++) {
            mean += once.features[once.order[k] * once.width()];
        }
        assertThat(mean / once.trainingSamples()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-5));
    }

    /** Writes {@code workflow}'s snapshot and returns its bytes; the loader's size goes to {@code loaderBytes}. */
    private static byte[] snapshot(Workflow workflow, long[] loaderBytes) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.veles.snapshot.format.Manifest written = io.veles.snapshot.file.SnapshotWriter.write(
                workflow, new io.veles.snapshot.format.Manifest(), io.veles.snapshot.codec.Codec.NONE, -1, out);
        loaderBytes[0] = written.units.stream()
                .filter(unit -> unit.name().equals("loader"))
                .findFirst()
                .orElseThrow()
                .bytes();
        return out.toByteArray();
    }

    @Test
    void keptDataIsPartOfTheSnapshotAndRestoresWithIt() throws Exception {
        DataSource source = DataSource.generated(2000, 8, 2, 1, 9, 0.2);
        long[] reloaded = new long[1];
        snapshot(loaderOnly(source, false), reloaded);
        long[] kept = new long[1];
        Workflow keeping = loaderOnly(source, true);
        byte[] bytes = snapshot(keeping, kept);
        assertThat(kept[0] - reloaded[0]).isGreaterThanOrEqualTo(2000L * 8 * Float.BYTES);

        try (io.veles.snapshot.file.SnapshotReader reader =
                io.veles.snapshot.file.SnapshotReader.open(new java.io.ByteArrayInputStream(bytes), "kept")) {
            Workflow restored = reader.restore(io.veles.pickle.RestoreRules.forWorkflow(Workflow.class)
                            .allowPackages(List.of("io.veles.znicz.loader")))
                    .workflow();
            FullBatchLoader loader = (FullBatchLoader) restored.units().stream()
                    .filter(unit -> unit.name().equals("loader"))
                    .findFirst()
                    .orElseThrow();
            FullBatchLoader original = (FullBatchLoader) keeping.units().stream()
                    .filter(unit -> unit.name().equals("loader"))
                    .findFirst()
                    .orElseThrow();
            assertThat(loader.data().features).isEqualTo(original.data().features);
            assertThat(loader.data().labels).isEqualTo(original.data().labels);
        }
    }

    private static Workflow loaderOnly(DataSource source, boolean keepData) {
        Workflow workflow = new Workflow("w");
        new FullBatchLoader(workflow, source, 25, keepData);
        return workflow;
    }
}
