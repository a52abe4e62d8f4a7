package io.veles.internal.delta;

import java.util.SplittableRandom;

/**
 * Cuts a byte stream into blocks at places chosen by the content (a gear rolling hash, as in
 * FastCDC), so that bytes inserted or removed early in the stream move the cuts after them along
 * with the content instead of changing every later block. Blocks are between {@link #MIN_BYTES}
 * and {@link #MAX_BYTES}, about {@link #MIN_BYTES} + 256 KiB on average.
 *
 * <p>The hash looks at the last 64 bytes only (each step shifts it left by one), so two streams
 * that agree on 64 bytes past a block's minimum size agree on where it ends.
 */
public final class ContentChunker {
    /** No cut before this many bytes of a block (64 KiB): small blocks cost records and index. */
    public static final int MIN_BYTES = 64 << 10;
    /** A block is cut here at the latest (1 MiB). */
    public static final int MAX_BYTES = 1 << 20;
    // 18 bits: a cut once in 256 KiB on average past the minimum.
    private static final long CUT_MASK = (1L << 18) - 1;
    private static final long[] GEAR = gearTable();

    private long hash;
    private int length;

    /**
     * Feeds {@code data[from, to)} to the current block. Returns the index just past the cut that
     * ends the block, after which a new block begins, or -1 if the block goes on past {@code to}.
     */
    public int next(byte[] data, int from, int to) {
        int i = from;
        if (length < MIN_BYTES) {
            int skip = Math.min(to - i, MIN_BYTES - length);
            i += skip;
            length += skip;
            if (length < MIN_BYTES) {
                return -1;
            }
        }
        long h = hash;
        int start = i;
        int end = Math.min(to, i + (MAX_BYTES - length));
        while (i < end) {
            h = (h << 1) + GEAR[data[i++] & 0xff];
            if ((h & CUT_MASK) == 0) {
                return cutAt(i);
            }
        }
        length += i - start;
        hash = h;
        return length >= MAX_BYTES ? cutAt(i) : -1;
    }

    private int cutAt(int index) {
        hash = 0;
        length = 0;
        return index;
    }

    /** Bytes of the current block fed so far. */
    public int blockLength() {
        return length;
    }

    private static long[] gearTable() {
        SplittableRandom random =
                new SplittableRandom(0x5645_4c45_5344_4c54L); // fixed: cuts must not vary between runs
        long[] table = new long[256];
        for (int i = 0; i < table.length; i++) {
            table[i] = random.nextLong();
        }
        return table;
    }
}
