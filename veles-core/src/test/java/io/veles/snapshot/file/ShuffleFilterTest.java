package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.pickle.RestoreRules;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/** The byte-shuffle filter: every numeric array comes back exact, and weights compress smaller. */
class ShuffleFilterTest {
    static final class Arrays1 extends Unit {
        float[] weights;
        double[] doubles;
        int[] ints;
        long[] longs;
        short[] shorts;
        char[] chars;
        float[] small;
        float[] oneBlock;
        float[] blockAndOne;
        float[] empty = new float[0];

        Arrays1(Workflow workflow, long seed) {
            super(workflow, "arrays");
            Random random = new Random(seed);
            weights = new float[100_003];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (random.nextGaussian() * 0.05);
            }
            doubles = random.doubles(20_001).toArray();
            ints = random.ints(30_000, -1000, 1000).toArray();
            longs = random.longs(9_999).toArray();
            shorts = new short[50_000];
            chars = new char[50_000];
            for (int i = 0; i < shorts.length; i++) {
                shorts[i] = (short) random.nextInt();
                chars[i] = (char) random.nextInt();
            }
            small = new float[1023]; // just under the filter's threshold
            oneBlock = new float[1_048_576]; // one 4 MiB shuffle block
            blockAndOne = new float[1_048_577];
            for (float[] array : new float[][] {small, oneBlock, blockAndOne}) {
                for (int i = 0; i < array.length; i++) {
                    array[i] = random.nextFloat();
                }
            }
        }

        @Override
        public void run() {}
    }

    public static final class Model extends Workflow {
        public Model(long seed) {
            super("model");
            new Arrays1(this, seed);
        }
    }

    static final class Layer extends Unit {
        float[] weights = new float[1 << 20];

        Layer(Workflow workflow, long seed) {
            super(workflow, "layer");
            Random random = new Random(seed);
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (random.nextGaussian() * 0.05);
            }
        }

        @Override
        public void run() {}
    }

    public static final class Net extends Workflow {
        public Net() {
            super("net");
            new Layer(this, 9);
        }
    }

    /**
     * Every numeric element type in arrays of a whole shuffle block and a few elements more (a
     * second block), filled with random bits: floats and doubles include NaNs with payloads,
     * which a restore must keep.
     */
    static final class RawBits extends Unit {
        float[] floats;
        double[] doubles;
        int[] ints;
        long[] longs;
        short[] shorts;
        char[] chars;

        RawBits(Workflow workflow, long seed) {
            super(workflow, "bits");
            Random random = new Random(seed);
            int blockBytes = SnapshotFormat.SHUFFLE_BLOCK_BYTES;
            floats = new float[blockBytes / 4 + 5];
            ints = new int[floats.length];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = Float.intBitsToFloat(random.nextInt());
                ints[i] = random.nextInt();
            }
            doubles = new double[blockBytes / 8 + 5];
            longs = new long[doubles.length];
            for (int i = 0; i < doubles.length; i++) {
                doubles[i] = Double.longBitsToDouble(random.nextLong());
                longs[i] = random.nextLong();
            }
            shorts = new short[blockBytes / 2 + 5];
            chars = new char[shorts.length];
            for (int i = 0; i < shorts.length; i++) {
                shorts[i] = (short) random.nextInt();
                chars[i] = (char) random.nextInt();
            }
        }

        @Override
        public void run() {}
    }

    public static final class Bits extends Workflow {
        public Bits() {
            super("bits");
            new RawBits(this, 11);
        }
    }

    private static byte[] write(Workflow model, SnapshotWriter.Options options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(model, new Manifest(), options, out);
        return out.toByteArray();
    }

    private static Arrays1 read(byte[] snapshot) {
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "test")) {
            Workflow restored =
                    reader.restore(RestoreRules.forWorkflow(Model.class)).workflow();
            return (Arrays1) restored.findUnit("arrays");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void shuffledArraysComeBackExact(Codec codec) throws Exception {
        Model model = new Model(7);
        Arrays1 original = (Arrays1) model.findUnit("arrays");
        byte[] snapshot = write(model, SnapshotWriter.Options.of(codec, -1).withShuffle(true));
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "test")) {
            assertThat(reader.manifest().filters).containsExactly("shuffle");
        }
        Arrays1 restored = read(snapshot);
        assertThat(restored.weights).isEqualTo(original.weights);
        assertThat(restored.doubles).isEqualTo(original.doubles);
        assertThat(restored.ints).isEqualTo(original.ints);
        assertThat(restored.longs).isEqualTo(original.longs);
        assertThat(restored.shorts).isEqualTo(original.shorts);
        assertThat(restored.chars).isEqualTo(original.chars);
        assertThat(restored.small).isEqualTo(original.small);
        assertThat(restored.oneBlock).isEqualTo(original.oneBlock);
        assertThat(restored.blockAndOne).isEqualTo(original.blockAndOne);
        assertThat(restored.empty).isEmpty();
    }

    /**
     * Arrays of several shuffle blocks come back bit for bit, whatever the element type: each
     * block is unshuffled straight into its place in the array. The codec does not matter to that
     * path, so the fastest is used.
     */
    @Test
    void everyElementTypeAcrossBlocksComesBackBitForBit() throws Exception {
        Bits model = new Bits();
        RawBits original = (RawBits) model.findUnit("bits");
        byte[] snapshot = write(model, SnapshotWriter.Options.of(Codec.LZ4, 1).withShuffle(true));
        RawBits restored;
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "test")) {
            assertThat(reader.manifest().filters).containsExactly("shuffle");
            restored = (RawBits) reader.restore(RestoreRules.forWorkflow(Bits.class))
                    .workflow()
                    .findUnit("bits");
        }
        for (int i = 0; i < original.floats.length; i++) {
            if (Float.floatToRawIntBits(restored.floats[i]) != Float.floatToRawIntBits(original.floats[i])) {
                throw new AssertionError("float " + i + " of " + original.floats.length + " differs");
            }
        }
        for (int i = 0; i < original.doubles.length; i++) {
            if (Double.doubleToRawLongBits(restored.doubles[i]) != Double.doubleToRawLongBits(original.doubles[i])) {
                throw new AssertionError("double " + i + " of " + original.doubles.length + " differs");
            }
        }
        assertThat(restored.ints).isEqualTo(original.ints);
        assertThat(restored.longs).isEqualTo(original.longs);
        assertThat(restored.shorts).isEqualTo(original.shorts);
        assertThat(restored.chars).isEqualTo(original.chars);
    }

    @Test
    void weightsCompressSmallerShuffledAndBothFormsRead() throws Exception {
        Net net = new Net();
        byte[] plain = write(net, SnapshotWriter.Options.of(Codec.GZIP, 6).withShuffle(false));
        byte[] shuffled = write(net, SnapshotWriter.Options.of(Codec.GZIP, 6));
        // N(0, 0.05) float32: gzip alone saves about 7%, shuffled about 15%.
        assertThat(shuffled.length).isLessThan((int) (plain.length * 0.95));
        float[] expected = ((Layer) net.findUnit("layer")).weights;
        for (byte[] snapshot : new byte[][] {plain, shuffled}) {
            try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "test")) {
                Workflow restored =
                        reader.restore(RestoreRules.forWorkflow(Net.class)).workflow();
                assertThat(Arrays.equals(((Layer) restored.findUnit("layer")).weights, expected))
                        .isTrue();
            }
        }
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(plain), "test")) {
            assertThat(reader.manifest().filters).isEmpty();
        }
        // Shuffled weights are deflated Huffman-only (the encoder's choice per block): still gzip.
        java.nio.file.Path file = java.nio.file.Files.createTempFile("shuffled", ".gz");
        try {
            java.nio.file.Files.write(file, shuffled);
            byte[] container = io.veles.snapshot.codec.StandardTools.decompressWithTool(Codec.GZIP, file);
            try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(container), "gzip -d")) {
                Workflow restored =
                        reader.restore(RestoreRules.forWorkflow(Net.class)).workflow();
                assertThat(Arrays.equals(((Layer) restored.findUnit("layer")).weights, expected))
                        .isTrue();
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    /**
     * An asynchronous snapshot's pause copies the state unshuffled and unchecked, and the
     * background finishes it: what comes out must be the very bytes a synchronous write makes,
     * signed or not, with code or not, shuffled or not, however the copy is cut as it streams.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "true, false, false",
        "true, true, false",
        "true, false, true",
        "true, true, true",
        "false, true, true",
        "false, false, false"
    })
    void aCopyFinishedLaterIsTheContainerWrittenAtOnce(
            boolean shuffle, boolean signed, boolean withCode, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        SnapshotWriter.Options options =
                SnapshotWriter.Options.of(Codec.NONE, -1).withShuffle(shuffle);
        if (signed) {
            byte[] secret = new byte[32];
            new Random(3).nextBytes(secret);
            java.nio.file.Path keyFile = dir.resolve("key");
            java.nio.file.Files.write(keyFile, secret);
            options = options.withKey(io.veles.snapshot.format.SnapshotKey.fromFile(keyFile));
        }
        if (withCode) {
            options = options.withCodeBackup(new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 1, 2, 3});
        }
        Model model = new Model(11);
        SnapshotWriter.Prepared prepared = SnapshotWriter.prepare(model, new Manifest(), options);
        ByteArrayOutputStream atOnce = new ByteArrayOutputStream();
        SnapshotWriter.writeContainer(model, prepared, options, atOnce);

        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        SnapshotWriter.Unfinished unfinished = SnapshotWriter.writeUnfinished(model, prepared, options, copy);
        assertThat((long) copy.size() + unfinished.trailerBytes()).isEqualTo(atOnce.size());
        byte[] copied = copy.toByteArray();
        Random cuts = new Random(shuffle ? 1 : 2);
        for (int round = 0; round < 3; round++) {
            int largest = round == 0 ? 1 : round == 1 ? 4099 : 1 << 22; // bytes one by one, odd cuts, whole blocks
            ByteArrayOutputStream finished = new ByteArrayOutputStream();
            unfinished.finish(
                    out -> {
                        for (int at = 0; at < copied.length; ) {
                            int n = Math.min(copied.length - at, 1 + cuts.nextInt(largest));
                            if (n == 1 && cuts.nextBoolean()) {
                                out.write(copied[at]);
                            } else {
                                out.write(copied, at, n);
                            }
                            at += n;
                        }
                    },
                    finished);
            assertThat(Arrays.equals(finished.toByteArray(), atOnce.toByteArray()))
                    .as("cut in pieces of at most %d bytes", largest)
                    .isTrue();
        }
        if (shuffle) {
            assertThat(Arrays.equals(copied, Arrays.copyOf(atOnce.toByteArray(), copied.length)))
                    .as("the copy is not shuffled yet")
                    .isFalse();
        }
    }

    /** A copy that ends before the arrays it was to shuffle is refused, not passed on half done. */
    @Test
    void aCopyCutShortIsRefused() throws Exception {
        SnapshotWriter.Options options =
                SnapshotWriter.Options.of(Codec.NONE, -1).withShuffle(true);
        Model model = new Model(5);
        SnapshotWriter.Prepared prepared = SnapshotWriter.prepare(model, new Manifest(), options);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        SnapshotWriter.Unfinished unfinished = SnapshotWriter.writeUnfinished(model, prepared, options, copy);
        byte[] copied = copy.toByteArray();
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        unfinished.finish(out -> out.write(copied, 0, copied.length / 2), new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before shuffle block");
    }

    /** Codecs picked for their ratio shuffle by default; those picked for speed do not, as their tools. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "NONE, -1, false",
        "SNAPPY, -1, false",
        "LZ4, 1, false",
        "LZ4, 2, false",
        "LZ4, 3, true",
        "LZ4, 12, true",
        "GZIP, 6, true",
        "BZIP2, 1, true",
        "XZ, 0, true",
        "ZSTD, 1, true",
        "ZSTD, -1, true"
    })
    void theFilterIsOnByDefaultForCodecsPickedForTheirRatio(Codec codec, int level, boolean shuffled) throws Exception {
        byte[] snapshot = write(new Net(), SnapshotWriter.Options.of(codec, level));
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "test")) {
            assertThat(reader.manifest().filters)
                    .isEqualTo(shuffled ? java.util.List.of("shuffle") : java.util.List.of());
            Workflow restored =
                    reader.restore(RestoreRules.forWorkflow(Net.class)).workflow();
            assertThat(((Layer) restored.findUnit("layer")).weights)
                    .isEqualTo(((Layer) new Net().findUnit("layer")).weights);
        }
    }
}
