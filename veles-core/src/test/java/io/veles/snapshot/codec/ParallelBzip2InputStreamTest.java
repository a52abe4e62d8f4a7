package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.snapshot.codec.Bzip2Engine.DecodedSegment;
import io.veles.testing.ChildProcess;
import io.veles.testing.Requirement;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

class ParallelBzip2InputStreamTest {
    /** Small blocks, so that a few hundred kB make many streams. */
    private static final int BLOCK = 64 << 10;

    @TempDir
    Path dir;

    /** Half text-like, half random, so that blocks compress differently. */
    private static byte[] sample(int size, long seed) {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            data[i] = i % 100_000 < 50_000
                    ? (byte) "the quick brown fox jumps over the lazy dog ".charAt(i % 44)
                    : (byte) random.nextInt(256);
        }
        return data;
    }

    /** As our snapshot writer does: one bzip2 stream per block, compressed on two threads. */
    private static byte[] ourStreams(byte[] data, int blockBytes, Bzip2Engine engine) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new ParallelBlockOutputStream(
                sink, (block, length, buffer) -> engine.compress(block, length, 9, buffer), 2, blockBytes)) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    private static byte[] oneStream(byte[] data) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new BZip2CompressorOutputStream(sink, 9)) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    private static byte[] readParallel(byte[] compressed) throws IOException {
        return readParallel(compressed, Bzip2Engine.best());
    }

    private static byte[] readParallel(byte[] compressed, Bzip2Engine engine) throws IOException {
        try (InputStream in = new ParallelBzip2InputStream(new ByteArrayInputStream(compressed), 2, engine)) {
            return in.readAllBytes();
        }
    }

    /** {@code engine}, counting the segments it decoded whole: the sequential decoder would give the same bytes. */
    private static final class Counting implements Bzip2Engine {
        final Bzip2Engine engine;
        final AtomicInteger whole = new AtomicInteger();

        Counting(Bzip2Engine engine) {
            this.engine = engine;
        }

        @Override
        public void compress(byte[] block, int length, int level, BlockBuffer out) throws IOException {
            engine.compress(block, length, level, out);
        }

        @Override
        public DecodedSegment decode(byte[] compressed, int length, byte[] into, int maxDecoded) {
            DecodedSegment decoded = engine.decode(compressed, length, into, maxDecoded);
            if (decoded != null) {
                whole.incrementAndGet();
            }
            return decoded;
        }
    }

    private static int seams(byte[] compressed) {
        int count = 0;
        int to = compressed.length - Bzip2StreamStarts.START_BYTES + 1;
        for (int p = Bzip2StreamStarts.find(compressed, 0, to);
                p > 0;
                p = Bzip2StreamStarts.find(compressed, p + 1, to)) {
            count++;
        }
        return count;
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void ourBlockStreamsAreFoundAndReadBackInOrder(String engineName) throws IOException {
        Counting engine = new Counting(Bzip2EngineTest.engine(engineName));
        byte[] data = sample(1_000_000, 1);
        byte[] compressed = ourStreams(data, BLOCK, engine);
        assertThat(seams(compressed)).as("a seam between each two blocks").isEqualTo((data.length - 1) / BLOCK);
        assertThat(readParallel(compressed, engine)).isEqualTo(data);
        assertThat(engine.whole).as("every block decoded in parallel").hasValue(seams(compressed) + 1);
    }

    @Test
    void aFewHeaderBytesReadOneAtATimeThenTheRest() throws IOException {
        byte[] data = sample(300_000, 2);
        try (InputStream in = new ParallelBzip2InputStream(
                new ByteArrayInputStream(ourStreams(data, BLOCK, Bzip2Engine.best())), 2)) {
            for (int i = 0; i < 10; i++) {
                assertThat(in.read()).isEqualTo(data[i] & 0xff);
            }
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 10, data.length));
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aSingleStreamFromTheBzip2ToolReads() throws IOException {
        byte[] data = sample(2_000_000, 3);
        Path raw = Files.write(dir.resolve("raw"), data);
        Path file = dir.resolve("raw.bz2");
        StandardTools.compressWithTool(Codec.BZIP2, raw, file);
        byte[] compressed = Files.readAllBytes(file);
        assertThat(seams(compressed)).isZero();
        assertThat(readParallel(compressed)).isEqualTo(data);
    }

    @Test
    void aStreamLargerThanASegmentIsReadSequentially() throws IOException {
        byte[] data = new byte[ParallelBzip2InputStream.MAX_SEGMENT_BYTES + (1 << 20)];
        new Random(4).nextBytes(data); // does not compress: the tool's single stream exceeds the bound
        Path raw = Files.write(dir.resolve("raw"), data);
        Path file = dir.resolve("raw.bz2");
        StandardTools.compressWithTool(Codec.BZIP2, raw, file);
        assertThat(Files.size(file)).isGreaterThan(ParallelBzip2InputStream.MAX_SEGMENT_BYTES);
        assertThat(readParallel(Files.readAllBytes(file))).isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void aSegmentLargerThanABlockIsReadInParallelAndItsBufferReused(String engineName) throws IOException {
        Counting engine = new Counting(Bzip2EngineTest.engine(engineName));
        byte[] zeros = new byte[10 << 20]; // above a block's buffer, within the bound: a new array, then a spare
        List<byte[]> parts = new ArrayList<>(List.of(zeros));
        for (int i = 0; i < 6; i++) {
            parts.add(sample(300_000 + 1000 * i, 20 + i));
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            compressed.write(oneStream(part));
            expected.write(part);
        }
        assertThat(readParallel(compressed.toByteArray(), engine)).isEqualTo(expected.toByteArray());
        assertThat(engine.whole.get()).as("every segment decoded in parallel").isEqualTo(parts.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void aStreamThatDecodesBeyondTheBoundIsReadSequentially(String engineName) throws IOException {
        Bzip2Engine engine = Bzip2EngineTest.engine(engineName);
        byte[] zeros = new byte[2 * ParallelBzip2InputStream.MAX_DECODED_BYTES + 5];
        byte[] compressed = BlockData.concat(oneStream(new byte[1000]), oneStream(zeros), oneStream(new byte[7]));
        assertThat(seams(compressed)).isEqualTo(2);
        assertThat(readParallel(compressed, engine)).isEqualTo(BlockData.concat(new byte[1000], zeros, new byte[7]));
    }

    @Test
    void manyStreamsFromPbzip2Read() throws IOException, InterruptedException {
        if (!onPath("pbzip2")) {
            Requirement.skipOrFail("VELES_REQUIRE_TOOLS", "pbzip2 is not installed");
        }
        byte[] data = sample(3_000_000, 5);
        Path raw = Files.write(dir.resolve("raw"), data);
        Path file = dir.resolve("raw.bz2");
        ChildProcess.Result result = ChildProcess.of(
                        List.of("sh", "-c", "pbzip2 -p2 -c < '" + raw + "' > '" + file + "'"))
                .run();
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        byte[] compressed = Files.readAllBytes(file);
        assertThat(seams(compressed)).as("pbzip2 writes a stream per 900 kB").isGreaterThan(0);
        assertThat(readParallel(compressed)).isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void emptyStreamsBetweenOthersRead(String engineName) throws IOException {
        Counting engine = new Counting(Bzip2EngineTest.engine(engineName));
        byte[] a = sample(100_000, 6);
        byte[] b = sample(50_000, 7);
        byte[] compressed =
                BlockData.concat(oneStream(a), oneStream(new byte[0]), oneStream(new byte[0]), oneStream(b));
        assertThat(readParallel(compressed, engine)).isEqualTo(BlockData.concat(a, b));
        // An empty stream has no block magic, so no seam starts it: it is decoded with the stream before.
        assertThat(engine.whole)
                .as("a with the empty streams, then b, decoded in parallel")
                .hasValue(2);
    }

    /**
     * A seam inside a valid stream: the block header's symbol map has one bit per byte value
     * present, so a block of the right byte values carries "end of stream, CRC, BZh9, block magic".
     */
    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void aFalseSeamInsideAStreamNeverChangesTheOutput(String engineName) throws IOException {
        Counting engine = new Counting(Bzip2EngineTest.engine(engineName));
        byte[] trap = dataWhoseSymbolMapSpellsASeam();
        byte[] stream = oneStream(trap);
        assertThat(seams(stream)).as("the crafted stream holds a false seam").isEqualTo(1);

        byte[] before = sample(200_000, 8);
        byte[] after = sample(200_000, 9);
        byte[] compressed =
                BlockData.concat(ourStreams(before, BLOCK, engine), stream, ourStreams(after, BLOCK, engine), stream);
        assertThat(readParallel(compressed, engine)).isEqualTo(BlockData.concat(before, trap, after, trap));
        assertThat(engine.whole)
                .as("the blocks before the first false seam decoded in parallel")
                .hasPositiveValue();
    }

    /** Bytes whose bzip2 symbol map, from the block's 153rd bit, reads 7 filler bits then a seam. */
    private static byte[] dataWhoseSymbolMapSpellsASeam() {
        // The symbol map starts 153 bits into the stream ("BZh9", block magic, CRC, a bit, origPtr,
        // the 16 range bits): 7 bits more, the fake end-of-stream marker and CRC end on a byte boundary.
        StringBuilder bits = new StringBuilder("1010101");
        bits.append(binary(0x177245385090L, 48)).append(binary(0xdeadbeefL, 32));
        bits.append(binary(0x425a6839L, 32)).append(binary(0x314159265359L, 48));
        while (bits.length() % 16 != 0) {
            bits.append('1');
        }
        List<Integer> values = new java.util.ArrayList<>();
        for (int range = 0; range < bits.length() / 16; range++) {
            String map = bits.substring(16 * range, 16 * range + 16);
            assertThat(map).as("every range's map must be in use").contains("1");
            for (int j = 0; j < 16; j++) {
                if (map.charAt(j) == '1') {
                    values.add(16 * range + j);
                }
            }
        }
        // Every value present, in no run of four or more (bzip2's first pass would add run lengths).
        Random random = new Random(10);
        byte[] data = new byte[50_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (int) values.get(i < values.size() ? i : random.nextInt(values.size()));
            if (i >= 3 && data[i] == data[i - 1] && data[i] == data[i - 2] && data[i] == data[i - 3]) {
                data[i] = (byte) (int) values.get((values.indexOf(data[i] & 0xff) + 1) % values.size());
            }
        }
        return data;
    }

    private static String binary(long value, int bits) {
        StringBuilder out = new StringBuilder();
        for (int i = bits - 1; i >= 0; i--) {
            out.append((value >>> i & 1) == 1 ? '1' : '0');
        }
        return out.toString();
    }

    @Test
    void theSeamFinderChecksTheEndBeforeTheStart() {
        byte[] bytes = new byte[64];
        byte[] start = {'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59};
        System.arraycopy(start, 0, bytes, 30, start.length);
        assertThat(Bzip2StreamStarts.find(bytes, 0, bytes.length - 9))
                .as("a start with no end before it")
                .isEqualTo(-1);
        // The end-of-stream marker and a CRC, then 3 zero bits of padding up to the start at byte 30.
        setBits(bytes, 30 * 8 - 83, 0x177245385090L, 48);
        setBits(bytes, 30 * 8 - 35, 0xcafef00dL, 32);
        assertThat(Bzip2StreamStarts.find(bytes, 0, bytes.length - 9)).isEqualTo(30);
        bytes[29] |= 1; // padding that is not zero
        assertThat(Bzip2StreamStarts.find(bytes, 0, bytes.length - 9)).isEqualTo(-1);
    }

    private static void setBits(byte[] bytes, int bitOffset, long value, int count) {
        for (int i = 0; i < count; i++) {
            int bit = bitOffset + i;
            if ((value >>> (count - 1 - i) & 1) == 1) {
                bytes[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            } else {
                bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void truncationAndDamageGiveWhatTheSequentialDecoderGives(String engineName) throws IOException {
        Bzip2Engine engine = Bzip2EngineTest.engine(engineName);
        byte[] data = sample(400_000, 11);
        byte[] intact = ourStreams(data, BLOCK, engine);
        int[] cuts = {4, 10, 40, intact.length / 3, intact.length / 2, intact.length - 11, intact.length - 1};
        for (int cut : cuts) {
            assertSameAsSequential(Arrays.copyOf(intact, cut), "cut at " + cut, engine);
        }
        for (int at :
                new int[] {5, 12, 100, intact.length / 4, intact.length / 2, intact.length - 12, intact.length - 5}) {
            byte[] damaged = intact.clone();
            damaged[at] ^= 0x20;
            assertSameAsSequential(damaged, "flip at " + at, engine);
        }
        assertSameAsSequential(BlockData.concat(intact, new byte[] {'B', 'Z'}), "garbage after the streams", engine);
    }

    /**
     * Byte by byte, so both deliver everything decoded before an error; then the same error. The
     * sequential decoder is the one the reader falls back on: commons-compress's, its failures
     * past the end of input made EOFExceptions.
     */
    private static void assertSameAsSequential(byte[] compressed, String what, Bzip2Engine engine) throws IOException {
        String expected = readByBytes(() -> TruncationAwareDecoder.of(
                new ByteArrayInputStream(compressed), input -> new BZip2CompressorInputStream(input, true)));
        String actual =
                readByBytes(() -> new ParallelBzip2InputStream(new ByteArrayInputStream(compressed), 2, engine));
        assertThat(actual).as(what).isEqualTo(expected);
    }

    private interface Opener {
        InputStream open() throws IOException;
    }

    /** The bytes read before the end or an error, as a digest, and the error. */
    private static String readByBytes(Opener opener) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        long count = 0;
        String error = "none";
        try (InputStream in = opener.open()) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                crc.update(b);
                count++;
            }
        } catch (IOException e) {
            error = e.getClass().getName() + ": " + e.getMessage();
        }
        return count + " bytes, crc " + crc.getValue() + ", error " + error;
    }

    private static boolean onPath(String name) {
        for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(path, name))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void readingManyStreamsAllocatesNoMoreThanReadingAFew() throws IOException {
        byte[] data = new byte[1 << 20];
        new Random(11).nextBytes(data);
        byte[] stream = oneStream(data); // repeated: concatenated streams, one segment each
        ThreadAllocations.assumeCounted();
        long few = ThreadAllocations.reading(in -> new ParallelBzip2InputStream(in, 2), stream, 12, data.length);
        long many = ThreadAllocations.reading(in -> new ParallelBzip2InputStream(in, 2), stream, 48, data.length);
        assertThat(few).as("the buffers of the segments in flight").isGreaterThan(4L << 20);
        // Without reuse the reading thread copied every segment into a new array: 36 more, over 36 MiB.
        assertThat(many - few).isLessThan(data.length);
    }

    /**
     * A read interrupted while the next segment decodes throws, and a read retried after it gets
     * that segment: it was taken from the queue before the wait, and the retry went on with the
     * segment after it, a gap in the bytes with no error.
     */
    @Test
    void aReadRetriedAfterAnInterruptGetsTheSegmentItWasWaitingFor() throws Exception {
        byte[] data = sample(3 * BLOCK, 9);
        byte[] compressed = ourStreams(data, BLOCK, Bzip2Engine.best());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger decodes = new AtomicInteger();
        Bzip2Engine gated = new Bzip2Engine() {
            @Override
            public void compress(byte[] block, int length, int level, BlockBuffer out) throws IOException {
                Bzip2Engine.best().compress(block, length, level, out);
            }

            @Override
            public DecodedSegment decode(byte[] bytes, int length, byte[] into, int maxDecoded) {
                if (decodes.incrementAndGet() == 2) { // the second segment waits for the test
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Bzip2Engine.best().decode(bytes, length, into, maxDecoded);
            }
        };
        try (InputStream in = new ParallelBzip2InputStream(new ByteArrayInputStream(compressed), 2, gated)) {
            assertThat(in.readNBytes(BLOCK)).isEqualTo(Arrays.copyOf(data, BLOCK));
            Thread.currentThread().interrupt();
            assertThatThrownBy(in::read).isInstanceOf(java.io.InterruptedIOException.class);
            assertThat(Thread.interrupted()).isTrue();
            release.countDown();
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, BLOCK, data.length));
        }
    }
}
