package io.veles.snapshot.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a block into runs of bytes that share one distribution, so that each run gets a Huffman
 * code of its own: in a byte-shuffled array each byte plane is such a run (exponents nearly
 * constant, low mantissa bytes noise), and a plane starts wherever the array happened to fall in
 * the block. zlib cuts its Huffman blocks every 16 Ki symbols instead, so that some mix two
 * planes, and pays for a code table each time.
 *
 * <p>Two steps. First, 64 KiB segments are added to the current run while coding one with the
 * run's distribution costs at most {@link #CUT_BITS} more than with its own; a segment that
 * would cost more starts a run. Segments this long tell apart planes that differ by a thirtieth
 * of a bit a byte (N(0, 0.05) float32's third byte, 7.969 bits of entropy, against its low two,
 * 8.0: 2,000 bits a segment), above the estimate's noise, which does not grow with the segment. Then each cut moves, byte by byte
 * within the two segments around it, to where the two runs' distributions say the change is.
 */
final class ByteRuns {
    static final int SEGMENT = 64 << 10;

    /**
     * The extra bits at which a segment starts a run. A new code table costs 100 to 1,000 bits;
     * a segment drawn from the run's own distribution costs about 190 bits more by chance
     * (the estimate's bias on 256 symbols, spread by about 20 bits), one from another plane
     * thousands.
     */
    static final double CUT_BITS = 1500;

    /** Runs shorter than this (left by a cut moved next to another) join the run before. */
    static final int MIN_RUN = 1 << 10;

    private ByteRuns() {}

    /**
     * A block's runs: their starts, ascending, the first being the block's start (the last run
     * ends at the block's end), and how often each byte value occurs in each.
     */
    record Runs(int[] starts, int[][] counts) {}

    /** The runs of {@code data[from, from + length)}; {@code length} is at least 1. */
    static Runs split(byte[] data, int from, int length) {
        List<int[]> segments = new ArrayList<>();
        List<int[]> runCounts = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        int[] run = new int[256];
        long runTotal = 0;
        double[] model = new double[256];
        long modelTotal = 0;
        int end = from + length;
        for (int at = from; at < end; at += SEGMENT) {
            int size = Math.min(SEGMENT, end - at);
            int[] segment = new int[256];
            count(data, at, size, segment);
            segments.add(segment);
            if (runTotal > 0) {
                double own = size * log2(size);
                double withRun = 0;
                for (int symbol = 0; symbol < 256; symbol++) {
                    int count = segment[symbol];
                    if (count > 0) {
                        own -= count * log2(count);
                        withRun += count * model[symbol];
                    }
                }
                if (withRun - own > CUT_BITS) {
                    runCounts.add(run);
                    run = new int[256];
                    runTotal = 0;
                    modelTotal = 0;
                }
            }
            if (runTotal == 0) {
                starts.add(at);
            }
            for (int symbol = 0; symbol < 256; symbol++) {
                run[symbol] += segment[symbol];
            }
            runTotal += size;
            if (runTotal >= 2 * modelTotal) { // the run's estimate, refreshed as it doubles
                fillModel(run, runTotal, model);
                modelTotal = runTotal;
            }
        }
        runCounts.add(run);
        absorbStraddlingSegments(starts, runCounts);
        refine(data, starts, end, runCounts);
        int[] kept = dropTinyRuns(starts, end);
        return new Runs(kept, countRuns(data, from, end, kept, segments));
    }

    /**
     * Each run's byte counts: the whole segments inside it from their counts, only the pieces of
     * segments at its two ends counted again.
     */
    private static int[][] countRuns(byte[] data, int from, int end, int[] starts, List<int[]> segments) {
        int[][] counts = new int[starts.length][256];
        for (int run = 0; run < starts.length; run++) {
            int start = starts[run];
            int stop = run + 1 < starts.length ? starts[run + 1] : end;
            int firstWhole = (start - from + SEGMENT - 1) / SEGMENT;
            int pastWhole = (stop - from) / SEGMENT; // a last, partial segment is counted again
            if (firstWhole >= pastWhole) {
                count(data, start, stop - start, counts[run]);
                continue;
            }
            for (int segment = firstWhole; segment < pastWhole; segment++) {
                int[] segmentCounts = segments.get(segment);
                for (int symbol = 0; symbol < 256; symbol++) {
                    counts[run][symbol] += segmentCounts[symbol];
                }
            }
            int wholeFrom = from + firstWhole * SEGMENT;
            int wholeTo = from + pastWhole * SEGMENT;
            count(data, start, wholeFrom - start, counts[run]);
            count(data, wholeTo, stop - wholeTo, counts[run]);
        }
        return counts;
    }

    /**
     * Adds the occurrences of each byte value in {@code data[from, from + length)} to {@code
     * counts}. Four tables in turn: a plane of nearly constant exponents counts the same value
     * byte after byte, and with one table each increment would wait for the one before.
     */
    static void count(byte[] data, int from, int length, int[] counts) {
        int[][] tables = new int[4][256];
        int end = from + length;
        int i = from;
        for (; i + 4 <= end; i += 4) {
            tables[0][data[i] & 0xff]++;
            tables[1][data[i + 1] & 0xff]++;
            tables[2][data[i + 2] & 0xff]++;
            tables[3][data[i + 3] & 0xff]++;
        }
        for (; i < end; i++) {
            tables[0][data[i] & 0xff]++;
        }
        for (int symbol = 0; symbol < 256; symbol++) {
            counts[symbol] += tables[0][symbol] + tables[1][symbol] + tables[2][symbol] + tables[3][symbol];
        }
    }

    /**
     * A lone segment between two runs is most often one that straddles their boundary, its
     * distribution a mix of both: it joins the run after it, so that the boundary is found by
     * {@link #refine} between the two runs' own distributions.
     */
    private static void absorbStraddlingSegments(List<Integer> starts, List<int[]> runCounts) {
        for (int i = 1; i + 1 < starts.size(); i++) {
            if (starts.get(i + 1) - starts.get(i) <= SEGMENT) {
                int[] lone = runCounts.remove(i);
                int[] next = runCounts.get(i);
                for (int symbol = 0; symbol < 256; symbol++) {
                    next[symbol] += lone[symbol];
                }
                starts.remove(i + 1);
            }
        }
    }

    /** The starts left once runs too short to pay for a code table of their own join the run before. */
    private static int[] dropTinyRuns(List<Integer> starts, int end) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int runEnd = i + 1 < starts.size() ? starts.get(i + 1) : end;
            if (i == 0 || runEnd - starts.get(i) >= MIN_RUN) {
                kept.add(starts.get(i));
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Moves each cut to the byte, within a segment either side of it, where coding the bytes
     * before it with the earlier run's distribution and those after with the later run's costs
     * least.
     */
    private static void refine(byte[] data, List<Integer> starts, int end, List<int[]> runCounts) {
        double[] before = new double[256];
        double[] after = new double[256];
        int[] difference = new int[256];
        for (int cut = 1; cut < starts.size(); cut++) {
            int[] earlier = runCounts.get(cut - 1);
            int[] later = runCounts.get(cut);
            fillModel(earlier, sum(earlier), before);
            fillModel(later, sum(later), after);
            for (int symbol = 0; symbol < 256; symbol++) { // in 64ths of a bit: integer sums run faster
                difference[symbol] = (int) Math.round((before[symbol] - after[symbol]) * 64);
            }
            int at = starts.get(cut);
            int low = Math.max(starts.get(cut - 1) + 1, at - SEGMENT);
            int high = Math.min(cut + 1 < starts.size() ? starts.get(cut + 1) - 1 : end - 1, at + SEGMENT);
            // cost(t) - cost(low) = sum over [low, t) of before - after: its minimum is the cut
            long running = 0;
            long best = 0;
            int bestAt = low;
            for (int i = low; i < high; i++) {
                running += difference[data[i] & 0xff];
                if (running < best) {
                    best = running;
                    bestAt = i + 1;
                }
            }
            starts.set(cut, bestAt);
        }
    }

    /** Bits per symbol by {@code counts}, each smoothed by half a count so that none is infinite. */
    private static void fillModel(int[] counts, long total, double[] model) {
        double log2Total = log2(total + 128.0);
        for (int symbol = 0; symbol < 256; symbol++) {
            model[symbol] = log2Total - log2(counts[symbol] + 0.5);
        }
    }

    private static long sum(int[] counts) {
        long total = 0;
        for (int count : counts) {
            total += count;
        }
        return total;
    }

    private static double log2(double value) {
        return Math.log(value) * (1 / Math.log(2));
    }
}
