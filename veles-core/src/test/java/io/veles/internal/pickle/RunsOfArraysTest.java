package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.pickle.RestoreRules;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * A model's arrays in runs of one shape (weights and their optimizer's moments, layers alike;
 * numeric and byte arrays), broken by arrays of the same bytes and another type, of the same type and another length, and
 * small ones: a restore allocates arrays ahead, by guessing the next shape from the last, and
 * they come back exact, each its own array, on the plain and the shuffled path.
 */
class RunsOfArraysTest {
    private static final int LENGTH = 300_000; // 1.2 MB of floats: allocated ahead

    static final class Layer extends Unit {
        float[] weights = new float[LENGTH];
        float[] momentum = new float[LENGTH];
        float[] velocity = new float[LENGTH];
        int[] counts = new int[LENGTH]; // same bytes, another type
        float[] bias = new float[LENGTH + 1]; // same type, another length
        double[] scales = new double[LENGTH / 2];
        float[] small = new float[100];

        Layer(Workflow workflow, String name, long seed) {
            super(workflow, name);
            Random random = new Random(seed);
            for (float[] array : new float[][] {weights, momentum, velocity, bias, small}) {
                for (int i = 0; i < array.length; i++) {
                    array[i] = random.nextFloat();
                }
            }
            for (int i = 0; i < counts.length; i++) {
                counts[i] = random.nextInt();
            }
            for (int i = 0; i < scales.length; i++) {
                scales[i] = random.nextDouble();
            }
        }

        @Override
        public void run() {}
    }

    public static final class Model extends Workflow {
        public Model() {
            super("model");
            for (int i = 0; i < 3; i++) {
                new Layer(this, "layer" + i, i);
            }
        }
    }

    /** int8 weights and their moments: byte arrays, read through Kryo's array serializer. */
    static final class QuantizedLayer extends Unit {
        byte[] weights = new byte[4 * LENGTH];
        byte[] momentum = new byte[4 * LENGTH];
        byte[] scale = new byte[16];

        QuantizedLayer(Workflow workflow, String name, long seed) {
            super(workflow, name);
            Random random = new Random(seed);
            random.nextBytes(weights);
            random.nextBytes(momentum);
            random.nextBytes(scale);
        }

        @Override
        public void run() {}
    }

    public static final class QuantizedModel extends Workflow {
        public QuantizedModel() {
            super("quantized");
            for (int i = 0; i < 3; i++) {
                new QuantizedLayer(this, "layer" + i, i);
            }
        }
    }

    /** Writes {@code model} with {@code codec} and restores it, taking at least {@code guesses} guesses. */
    private static Workflow roundTrip(Workflow model, Codec codec, boolean shuffle, int guesses) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(
                model, new Manifest(), SnapshotWriter.Options.of(codec, -1).withShuffle(shuffle), out);
        long guessesBefore = ArraysAhead.guessesTakenInAll();
        Workflow restored;
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(out.toByteArray()), "test")) {
            restored =
                    reader.restore(RestoreRules.forWorkflow(model.getClass())).workflow();
        }
        assertThat(ArraysAhead.guessesTakenInAll() - guessesBefore).isGreaterThanOrEqualTo(guesses);
        return restored;
    }

    @ParameterizedTest
    @CsvSource({"NONE, false", "GZIP, true", "LZ4, false"})
    void arraysInRunsComeBackExact(Codec codec, boolean shuffle) throws Exception {
        Model model = new Model();
        // at least one run of two per layer, whatever order the fields are written in
        Workflow restored = roundTrip(model, codec, shuffle, 3);
        for (int i = 0; i < 3; i++) {
            Layer original = (Layer) model.findUnit("layer" + i);
            Layer copy = (Layer) restored.findUnit("layer" + i);
            assertThat(copy.weights).isEqualTo(original.weights);
            assertThat(copy.momentum).isEqualTo(original.momentum);
            assertThat(copy.velocity).isEqualTo(original.velocity);
            assertThat(copy.counts).isEqualTo(original.counts);
            assertThat(copy.bias).isEqualTo(original.bias);
            assertThat(copy.scales).isEqualTo(original.scales);
            assertThat(copy.small).isEqualTo(original.small);
            assertThat(copy.momentum).isNotSameAs(copy.weights).isNotSameAs(copy.velocity);
        }
    }

    @ParameterizedTest
    @CsvSource({"NONE, false", "GZIP, true"})
    void byteArraysInRunsComeBackExact(Codec codec, boolean shuffle) throws Exception {
        QuantizedModel model = new QuantizedModel();
        Workflow restored = roundTrip(model, codec, shuffle, 3);
        for (int i = 0; i < 3; i++) {
            QuantizedLayer original = (QuantizedLayer) model.findUnit("layer" + i);
            QuantizedLayer copy = (QuantizedLayer) restored.findUnit("layer" + i);
            assertThat(copy.weights).isEqualTo(original.weights);
            assertThat(copy.momentum).isEqualTo(original.momentum).isNotSameAs(copy.weights);
            assertThat(copy.scale).isEqualTo(original.scale);
        }
    }
}
