package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

class HuffmanDeflaterTest {
    /** Deflates {@code data}, inflates the result with zlib, checks it comes back, returns the deflated size. */
    private static int roundTrip(byte[] data) throws DataFormatException {
        return roundTrip(data, data.length);
    }

    /**
     * Deflates the first {@code length} bytes of {@code data} into a buffer too small to hold
     * them (so that the encoder grows it), inflates the result with zlib and checks it.
     */
    private static int roundTrip(byte[] data, int length) throws DataFormatException {
        BlockBuffer out = new BlockBuffer(16);
        int end = HuffmanDeflater.deflate(data, length, out, 0);
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(out.array(), 0, end);
            byte[] back = new byte[2 * length + 64]; // room to see a stream that decodes too long
            int got = 0;
            while (!inflater.finished() && got < back.length) {
                int n = inflater.inflate(back, got, back.length - got);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                got += n;
            }
            assertThat(inflater.finished())
                    .as("the stream's final block was reached")
                    .isTrue();
            assertThat(inflater.getRemaining())
                    .as("bytes after the final block")
                    .isZero();
            assertThat(Arrays.copyOf(back, got)).isEqualTo(Arrays.copyOf(data, length));
        } finally {
            inflater.end();
        }
        return end;
    }

    @Test
    void edgeCasesInflateBack() throws DataFormatException {
        roundTrip(new byte[0]);
        roundTrip(new byte[] {7});
        roundTrip(new byte[] {7, 7});
        roundTrip(new byte[] {0, (byte) 255});
        roundTrip(new byte[100_000]); // one symbol: a code of two
        byte[] all = new byte[256 * 300];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        roundTrip(all);
    }

    @Test
    void everyLengthAroundTheSegmentAndStoredLimitsInflatesBack() throws DataFormatException {
        Random random = new Random(1);
        for (int length : new int[] {4095, 4096, 4097, 8191, 8193, 65535, 65536, 65537, 200_003}) {
            byte[] noise = new byte[length];
            random.nextBytes(noise);
            roundTrip(noise); // incompressible: stored blocks
            byte[] skewed = new byte[length];
            for (int i = 0; i < length; i++) {
                skewed[i] = (byte) (random.nextGaussian() * 3);
            }
            roundTrip(skewed);
        }
    }

    /** A deep code: counts of a Fibonacci series need lengths past 15 bits, which must be capped. */
    @Test
    void aSkewedDistributionNeedingDeepCodesInflatesBack() throws DataFormatException {
        byte[] data = new byte[3_000_000];
        int at = 0;
        long a = 1;
        long b = 1;
        for (int symbol = 0; symbol < 30 && at < data.length; symbol++) {
            for (long i = 0; i < a && at < data.length; i++) {
                data[at++] = (byte) symbol;
            }
            long next = a + b;
            a = b;
            b = next;
        }
        Arrays.fill(data, at, data.length, (byte) 200);
        shuffleInPlace(data, new Random(2));
        roundTrip(data);
    }

    @Test
    void shuffledWeightsComeOutSmallerThanZlibsHuffmanBlocks() throws DataFormatException {
        byte[] block = BlockData.shuffledWeights(3);
        assertThat((long) roundTrip(block))
                .isLessThan(GzipMembers.deflatedSize(block, 0, block.length, 6, Deflater.HUFFMAN_ONLY));
    }

    /**
     * Planes starting at any offset: each gets its own code, so the whole costs about what the
     * planes cost deflated one by one (a cut found off by a few bytes costs a few bits).
     */
    @Test
    void planesAtAnyOffsetAreCodedAlmostAsWellAsApart() throws DataFormatException {
        Random random = new Random(4);
        byte[] weights = BlockData.shuffledWeights(5);
        int plane = weights.length / 4;
        for (int trial = 0; trial < 6; trial++) {
            int from = random.nextInt(plane);
            int length = plane + random.nextInt(2 * plane);
            byte[] window = Arrays.copyOfRange(weights, from, from + length);
            int whole = roundTrip(window);
            long apart = 0;
            int end = from + length;
            for (int start = from; start < end; ) {
                int next = Math.min(end, (start / plane + 1) * plane);
                apart += roundTrip(Arrays.copyOfRange(weights, start, next));
                start = next;
            }
            assertThat((long) whole).as("window %d+%d", from, length).isLessThanOrEqualTo(apart + 64);
        }
    }

    /**
     * A float32 array's third byte plane is nearly noise: coding it would save 0.03% and make its
     * inflating a table lookup a byte instead of a copy, so it is stored (five bytes a 65,535).
     */
    @Test
    void aPlaneThatCodingBarelyShrinksIsStored() throws DataFormatException {
        byte[] weights = BlockData.shuffledWeights(11);
        int plane = weights.length / 4;
        byte[] third = Arrays.copyOfRange(weights, 2 * plane, 3 * plane);
        assertThat(roundTrip(third)).isEqualTo(plane + 5 * ((plane + 65534) / 65535));
        byte[] exponents = Arrays.copyOfRange(weights, 3 * plane, 4 * plane);
        assertThat(roundTrip(exponents)).isLessThan(plane / 2);
    }

    @Test
    void randomMixturesInflateBack() throws DataFormatException {
        Random random = new Random(6);
        for (int trial = 0; trial < 40; trial++) {
            byte[] data = new byte[random.nextInt(300_000)];
            int at = 0;
            while (at < data.length) {
                int run = Math.min(data.length - at, 1 + random.nextInt(20_000));
                int kind = random.nextInt(4);
                int base = random.nextInt(256);
                for (int i = at; i < at + run; i++) {
                    data[i] = (byte)
                            (kind == 0
                                    ? base
                                    : kind == 1
                                            ? random.nextInt(256)
                                            : kind == 2
                                                    ? base + (int) (random.nextGaussian() * 2)
                                                    : base + random.nextInt(3));
                }
                at += run;
            }
            roundTrip(data);
        }
    }

    @Test
    void runsOfOneSegmentEachAndATinyTailInflateBack() throws DataFormatException {
        byte[] alternating = new byte[12 * ByteRuns.SEGMENT];
        for (int i = 0; i < alternating.length; i++) {
            alternating[i] = (byte) (i / ByteRuns.SEGMENT % 2 == 0 ? i % 3 : 100 + i % 7);
        }
        roundTrip(alternating);
        byte[] tail = new byte[3 * ByteRuns.SEGMENT + 500];
        Random random = new Random(9);
        for (int i = 0; i < tail.length; i++) {
            tail[i] = (byte) (i < 3 * ByteRuns.SEGMENT ? random.nextInt(4) : 200 + random.nextInt(50));
        }
        roundTrip(tail);
        byte[] noise = new byte[2 * 65535];
        random.nextBytes(noise);
        roundTrip(noise); // exactly two stored pieces
        roundTrip(tail, 70_001); // a prefix of the array only
    }

    /**
     * Whatever the data, the runs start ascending and within it, the first at its start, and
     * each run's counts are its bytes' (made partly from its segments' counts).
     */
    @Test
    void runStartsAscendWithinTheData() {
        Random random = new Random(10);
        for (int trial = 0; trial < 30; trial++) {
            byte[] data = new byte[random.nextInt(600_000) + 1];
            for (int at = 0; at < data.length; ) {
                int run = 1 + random.nextInt(150_000);
                int spread = 1 + random.nextInt(256);
                for (int i = at; i < Math.min(data.length, at + run); i++) {
                    data[i] = (byte) random.nextInt(spread);
                }
                at += run;
            }
            int from = random.nextInt(data.length);
            int length = 1 + random.nextInt(data.length - from);
            ByteRuns.Runs runs = ByteRuns.split(data, from, length);
            int[] starts = runs.starts();
            assertThat(starts[0]).isEqualTo(from);
            for (int i = 0; i < starts.length; i++) {
                int end = i + 1 < starts.length ? starts[i + 1] : from + length;
                assertThat(end).isGreaterThan(starts[i]).isLessThanOrEqualTo(from + length);
                int[] counted = new int[256];
                ByteRuns.count(data, starts[i], end - starts[i], counted);
                assertThat(runs.counts()[i]).as("run %d's counts", i).isEqualTo(counted);
            }
        }
    }

    /** A change exactly on a segment's edge, away from the block's start: the runs and their counts. */
    @Test
    void aRunEndingOnASegmentEdgeIsCountedExactly() {
        int from = 1000;
        byte[] data = new byte[from + 6 * ByteRuns.SEGMENT];
        Random random = new Random(12);
        for (int i = from; i < data.length; i++) {
            data[i] = (byte) (i < from + 3 * ByteRuns.SEGMENT ? random.nextInt(4) : 128 + random.nextInt(128));
        }
        ByteRuns.Runs runs = ByteRuns.split(data, from, 6 * ByteRuns.SEGMENT);
        assertThat(runs.starts()).containsExactly(from, from + 3 * ByteRuns.SEGMENT);
        for (int run = 0; run < 2; run++) {
            int[] counted = new int[256];
            ByteRuns.count(data, from + run * 3 * ByteRuns.SEGMENT, 3 * ByteRuns.SEGMENT, counted);
            assertThat(runs.counts()[run]).isEqualTo(counted);
        }
    }

    /** Codes capped at 15 and at 7 bits stay complete prefix codes: their Kraft sum is exactly 1. */
    @Test
    void cappedCodesAreComplete() {
        for (int[] shape : new int[][] {{257, 15}, {19, 7}}) {
            int[] counts = new int[shape[0]];
            int a = 1;
            int b = 1;
            for (int symbol = 0; symbol < counts.length && a < Integer.MAX_VALUE / 4; symbol++) {
                counts[symbol] = a;
                int next = a + b;
                a = b;
                b = next;
            }
            int[] lengths = HuffmanCode.lengths(counts, shape[1]);
            double kraft = 0;
            for (int length : lengths) {
                assertThat(length).isBetween(0, shape[1]);
                kraft += length > 0 ? Math.pow(2, -length) : 0;
            }
            assertThat(kraft).isEqualTo(1.0);
        }
        int[] one = HuffmanCode.lengths(new int[] {0, 0, 5, 0}, 7); // one symbol counted: a filler joins it
        assertThat(Arrays.stream(one).filter(length -> length > 0).count()).isEqualTo(2);
    }

    private static void shuffleInPlace(byte[] data, Random random) {
        for (int i = data.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte swap = data[i];
            data[i] = data[j];
            data[j] = swap;
        }
    }
}
