package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.codec.Bzip2Engine.DecodedSegment;
import io.veles.testing.Requirement;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Both bzip2 engines, libbz2 and commons-compress: the streams they write and what they decode. */
class Bzip2EngineTest {
    @TempDir
    Path dir;

    /** The engine named {@code name}; libbz2 missing skips the test, and fails it on CI. */
    static Bzip2Engine engine(String name) {
        if (name.equals("java")) {
            return JavaBzip2.INSTANCE;
        }
        if (!NativeBzip2.available()) {
            Requirement.skipOrFail("VELES_REQUIRE_TOOLS", "libbz2 did not load through JNA");
        }
        return NativeBzip2.INSTANCE;
    }

    /** Text-like runs and noise, so that the stream has several Huffman tables' worth of both. */
    private static byte[] sample(int size, long seed) {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            data[i] =
                    i % 30_000 < 15_000 ? (byte) "lorem ipsum dolor sit amet ".charAt(i % 27) : (byte) random.nextInt();
        }
        return data;
    }

    private static byte[] compress(Bzip2Engine engine, byte[] data, int level) throws IOException {
        BlockBuffer out = new BlockBuffer(16);
        engine.compress(data, data.length, level, out);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static byte[] decoded(DecodedSegment segment) {
        assertThat(segment).as("decoded whole").isNotNull();
        return Arrays.copyOf(segment.bytes(), segment.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void theBzip2ToolReadsABlockAtEveryLevel(String name) throws IOException {
        Bzip2Engine engine = engine(name);
        byte[] data = sample(300_000, 1);
        for (int level : new int[] {1, 5, 9}) {
            Path file = Files.write(dir.resolve(name + level + ".bz2"), compress(engine, data, level));
            assertThat(Files.readAllBytes(file)[3])
                    .as("the level in the header")
                    .isEqualTo((byte) ('0' + level));
            assertThat(StandardTools.decompressWithTool(Codec.BZIP2, file)).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void eachEngineDecodesTheOthersStreams(String name) throws IOException {
        Bzip2Engine engine = engine(name);
        Bzip2Engine other = engine == JavaBzip2.INSTANCE ? engine("native") : JavaBzip2.INSTANCE;
        byte[] data = sample(500_000, 2);
        assertThat(decoded(engine.decode(compress(other, data, 9), 1 << 20, 4 << 20)))
                .isEqualTo(data);
        assertThat(compress(engine, new byte[0], 9))
                .as("an empty block is still a stream")
                .isNotEmpty();
        assertThat(decoded(engine.decode(compress(other, new byte[0], 9), 1 << 20, 4 << 20)))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void concatenatedStreamsDecodeIntoOneSegmentGrowingPastTheFirstGuess(String name) throws IOException {
        Bzip2Engine engine = engine(name);
        byte[] a = sample(200_000, 3);
        byte[] b = sample(150_000, 4);
        byte[] segment =
                BlockData.concat(compress(engine, a, 9), compress(engine, new byte[0], 9), compress(engine, b, 1));
        assertThat(decoded(engine.decode(segment, 1000, 1 << 20))).isEqualTo(BlockData.concat(a, b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void decodesTheGivenLengthIntoTheGivenBufferWhenItFits(String name) throws IOException {
        Bzip2Engine engine = engine(name);
        byte[] data = sample(100_000, 5);
        byte[] stream = compress(engine, data, 9);
        // a reused buffer: the stream, then what an earlier, longer segment left behind
        byte[] compressed = BlockData.concat(stream, new byte[] {'B', 'Z', 'h', '9', 1, 2, 3});
        byte[] roomy = new byte[data.length + 1];
        DecodedSegment fits = engine.decode(compressed, stream.length, roomy, 1 << 20);
        assertThat(fits.bytes()).as("the buffer given").isSameAs(roomy);
        assertThat(decoded(fits)).isEqualTo(data);
        byte[] small = new byte[1000];
        DecodedSegment grown = engine.decode(compressed, stream.length, small, 1 << 20);
        assertThat(grown.bytes()).as("a new array").isNotSameAs(small);
        assertThat(decoded(grown)).isEqualTo(data);
        assertThat(engine.decode(compressed, compressed.length, roomy, 1 << 20))
                .as("the bytes after the stream, when counted")
                .isNull();
        assertThat(engine.decode(compressed, stream.length, new byte[data.length + 100], data.length - 1))
                .as("one byte beyond the bound, in a buffer with room for more")
                .isNull();
        assertThat(decoded(engine.decode(compressed, stream.length, new byte[data.length + 100], data.length)))
                .as("exactly the bound, in a buffer with room for more")
                .isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void theBoundIsInclusiveWhateverTheFirstGuess(String name) throws IOException {
        Bzip2Engine engine = engine(name);
        byte[] zeros = new byte[64 << 10];
        byte[] stream = compress(engine, zeros, 9);
        for (int guess : new int[] {1000, zeros.length - 1, zeros.length, zeros.length + 1, 1 << 20}) {
            assertThat(decoded(engine.decode(stream, guess, zeros.length)))
                    .as("a guess of " + guess)
                    .isEqualTo(zeros);
            assertThat(engine.decode(stream, guess, zeros.length - 1))
                    .as("one byte beyond the bound, a guess of " + guess)
                    .isNull();
        }
        assertThat(engine.decode(BlockData.concat(stream, new byte[] {'B', 'Z'}), zeros.length, zeros.length))
                .as("an exact fit, then trailing bytes")
                .isNull();
        assertThat(engine.decode(new byte[0], 1000, 1000))
                .as("no input is no stream")
                .isNull();
    }

    /** Whatever the damage, an engine gives what the sequential decoder gives, or leaves it to it. */
    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void randomDamageNeverDecodesToSomethingElse(String name) throws IOException {
        Bzip2Engine engine = engine(name);
        byte[] data = sample(60_000, 6);
        byte[] stream = BlockData.concat(compress(engine, data, 9), compress(engine, data, 1));
        Random random = new Random(7);
        int decodedWhole = 0;
        for (int i = 0; i < 200; i++) {
            byte[] damaged = stream.clone();
            damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
            if (random.nextBoolean()) {
                damaged = Arrays.copyOf(damaged, damaged.length - random.nextInt(30));
            }
            byte[] sequential = sequential(damaged);
            DecodedSegment segment = engine.decode(damaged, 1 << 20, 4 << 20);
            if (segment != null) {
                decodedWhole++;
                assertThat(sequential)
                        .as("decoded where the sequential decoder fails")
                        .isNotNull();
                assertThat(decoded(segment)).isEqualTo(sequential);
            }
        }
        assertThat(decodedWhole)
                .as("damage that bzip2 cannot see (padding bits)")
                .isLessThan(200);
    }

    /** What commons-compress's sequential decoder gives for all of {@code compressed}; null on an error. */
    private static byte[] sequential(byte[] compressed) {
        try (InputStream in = new BZip2CompressorInputStream(new ByteArrayInputStream(compressed), true)) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void truncationDamageAndTrailingBytesAreLeftToTheSequentialDecoder(String name) throws IOException {
        Bzip2Engine engine = engine(name);
        byte[] stream = compress(engine, sample(100_000, 5), 9);
        for (int cut : new int[] {1, 4, 10, 40, stream.length / 2, stream.length - 1}) {
            assertThat(engine.decode(Arrays.copyOf(stream, cut), 1 << 20, 4 << 20))
                    .as("cut at " + cut)
                    .isNull();
        }
        for (int at : new int[] {0, 3, 5, 20, stream.length / 2, stream.length - 3}) {
            byte[] damaged = stream.clone();
            damaged[at] ^= 0x10;
            assertThat(engine.decode(damaged, 1 << 20, 4 << 20))
                    .as("flip at " + at)
                    .isNull();
        }
        assertThat(engine.decode(BlockData.concat(stream, new byte[] {'B', 'Z'}), 1 << 20, 4 << 20))
                .as("bytes after the last stream")
                .isNull();
        assertThat(engine.decode(BlockData.concat(stream, new byte[1]), 1 << 20, 4 << 20))
                .as("a zero byte after the last stream")
                .isNull();
    }

    @Test
    void libbz2LoadsOnThisMachineAndIsTheDefault() {
        engine("native");
        if (!"false".equals(System.getProperty(Bzip2Engine.NATIVE_PROPERTY))) {
            assertThat(Bzip2Engine.best()).isSameAs(NativeBzip2.INSTANCE);
        }
        assertThat(NativeBzip2.version()).startsWith("1.");
        String before = System.setProperty(Bzip2Engine.NATIVE_PROPERTY, "false");
        try {
            assertThat(Bzip2Engine.best()).as("turned off").isSameAs(JavaBzip2.INSTANCE);
        } finally {
            if (before == null) {
                System.clearProperty(Bzip2Engine.NATIVE_PROPERTY);
            } else {
                System.setProperty(Bzip2Engine.NATIVE_PROPERTY, before);
            }
        }
    }
}
