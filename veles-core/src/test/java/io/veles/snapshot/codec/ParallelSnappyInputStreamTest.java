package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * The parallel Snappy reader gives what snappy-java's sequential one gives: the same bytes for
 * whole input, and for damaged or truncated input the same bytes up to the same error.
 */
class ParallelSnappyInputStreamTest {
    /** Small blocks, so that a few hundred kB make many framed streams. */
    private static final int BLOCK = 100_000;

    /** Text-like and random stretches: chunks stored compressed and chunks stored as they are. */
    private static byte[] sample(int size, long seed) {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            data[i] = i % 150_000 < 90_000
                    ? (byte) "the quick brown fox jumps over the lazy dog ".charAt(i % 44)
                    : (byte) random.nextInt(256);
        }
        return data;
    }

    /** As our snapshot writer does: one framed stream per block, compressed on two threads. */
    private static byte[] ourStreams(byte[] data) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new ParallelBlockOutputStream(
                sink, (block, length, buffer) -> Codec.SNAPPY.compressBlock(block, length, 0, buffer), 2, BLOCK)) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    private static byte[] oneStream(byte[] data) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new SnappyFramedOutputStream(sink)) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    /** What a reader gives: the bytes it served before the end or its error, and the error. */
    private record Outcome(byte[] bytes, String error) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Outcome that && Arrays.equals(bytes, that.bytes) && error.equals(that.error);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes) * 31 + error.hashCode();
        }

        @Override
        public String toString() {
            return bytes.length + " bytes, then " + error;
        }
    }

    private static Outcome read(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            return new Outcome(out.toByteArray(), "end");
        } catch (IOException | RuntimeException e) {
            return new Outcome(out.toByteArray(), e.getClass().getName() + ": " + e.getMessage());
        }
    }

    private static Outcome parallel(byte[] compressed) {
        return read(new ParallelSnappyInputStream(new ByteArrayInputStream(compressed), 2));
    }

    private static Outcome sequential(byte[] compressed) {
        try {
            return read(new SnappyFramedInputStream(new ByteArrayInputStream(compressed), true));
        } catch (IOException e) { // the stream header is read when the stream opens
            return new Outcome(new byte[0], e.getClass().getName() + ": " + e.getMessage());
        }
    }

    @Test
    void ourBlockStreamsReadBackInOrder() throws IOException {
        byte[] data = sample(3_000_000, 1);
        assertThat(parallel(ourStreams(data))).isEqualTo(new Outcome(data, "end"));
    }

    @Test
    void oneLongStreamOfManyBatchesReads() throws IOException {
        byte[] data = sample(ParallelSnappyInputStream.CHUNKS_PER_BATCH * 65536 * 3 + 12345, 2);
        assertThat(parallel(oneStream(data))).isEqualTo(new Outcome(data, "end"));
    }

    @Test
    void aFewBytesReadOneAtATimeThenTheRest() throws IOException {
        byte[] data = sample(300_000, 3);
        try (InputStream in = new ParallelSnappyInputStream(new ByteArrayInputStream(ourStreams(data)), 2)) {
            for (int i = 0; i < 10; i++) {
                assertThat(in.read()).isEqualTo(data[i] & 0xff);
            }
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 10, data.length));
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void emptyInputAndAnEmptyStreamAreAsSequential() throws IOException {
        assertThat(parallel(new byte[0])).isEqualTo(sequential(new byte[0]));
        byte[] empty = oneStream(new byte[0]);
        assertThat(parallel(empty)).isEqualTo(sequential(empty)).isEqualTo(new Outcome(new byte[0], "end"));
    }

    @Test
    void paddingAndSkippableChunksAreSkippedAndAReservedOneIsTheSequentialError() throws IOException {
        byte[] first = oneStream(sample(200_000, 4));
        byte[] second = oneStream(sample(70_000, 5));
        byte[] padding = {(byte) 0xfe, 3, 0, 0, 0, 0, 0};
        byte[] skippable = {(byte) 0x80, 2, 0, 0, 9, 9};
        byte[] reserved = {0x02, 1, 0, 0, 7};
        byte[] skipped = BlockData.concat(first, padding, skippable, second);
        assertThat(parallel(skipped))
                .isEqualTo(sequential(skipped))
                .extracting(Outcome::error)
                .isEqualTo("end");
        byte[] refused = BlockData.concat(first, reserved, second);
        Outcome outcome = parallel(refused);
        assertThat(outcome).isEqualTo(sequential(refused));
        assertThat(outcome.error()).isNotEqualTo("end");
    }

    @Test
    void everyDamagedOrTruncatedInputGivesTheSequentialOutcome() throws IOException {
        byte[] data = sample(900_000, 6);
        byte[] compressed = ourStreams(data);
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            byte[] damaged;
            String what;
            if (trial % 3 == 0) {
                int length = random.nextInt(compressed.length);
                damaged = Arrays.copyOf(compressed, length);
                what = "cut to " + length + " bytes";
            } else {
                int at = trial < 30 ? trial : random.nextInt(compressed.length); // the first stream header too
                damaged = compressed.clone();
                damaged[at] ^= (byte) (1 << random.nextInt(8));
                what = "a bit flipped at " + at;
            }
            assertThat(parallel(damaged)).as(what).isEqualTo(sequential(damaged));
        }
    }

    @Test
    void inputThatIsNotAFramedStreamIsTheSequentialError() {
        byte[] gzipLike = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3};
        Outcome outcome = parallel(gzipLike);
        assertThat(outcome).isEqualTo(sequential(gzipLike));
        assertThat(outcome.error()).isNotEqualTo("end");
    }

    @Test
    void readingManyBatchesAllocatesNoMoreThanReadingAFew() throws IOException {
        byte[] data = new byte[4 << 20];
        new Random(11).nextBytes(data); // incompressible: every batch holds 64 full chunks
        byte[] framed = oneStream(data); // repeated, a stream identifier between copies, as the format allows
        ThreadAllocations.assumeCounted();
        long few = ThreadAllocations.reading(in -> new ParallelSnappyInputStream(in, 2), framed, 12, data.length);
        long many = ThreadAllocations.reading(in -> new ParallelSnappyInputStream(in, 2), framed, 48, data.length);
        assertThat(few).as("the buffers of the batches in flight").isGreaterThan(data.length);
        // Without reuse the reading thread allocated two buffers for every batch: 36 more, over 180 MiB.
        assertThat(many - few).isLessThan(data.length);
    }
}
