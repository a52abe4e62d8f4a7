package io.veles.snapshot.codec;

/**
 * Picks between two ways of compressing a block by trying both on samples of it: eight pieces
 * of 8 KiB spread over the block. Spread, because a byte-shuffled block is planes of different
 * kinds (nearly constant exponents, noise-like low mantissa bytes), and at irregular offsets, so
 * that the samples do not all fall on the same plane. gzip members and zstd frames use it to
 * take a cheaper setting where it compresses no worse than the requested one.
 */
final class BlockSamples {
    static final int COUNT = 8;
    static final int BYTES = 8 << 10;

    /** One way of compressing: the compressed size of {@code length} bytes of {@code data} at {@code from}. */
    @FunctionalInterface
    interface Trial {
        long compressedSize(byte[] data, int from, int length);
    }

    private BlockSamples() {}

    /**
     * True if {@code cheaper} compresses the samples of the block's first {@code length} bytes
     * to no more than {@code requested} does. A block too small to be judged by samples (under
     * 256 KiB) keeps the requested way: false.
     */
    static boolean cheaperDoesAsWell(byte[] data, int length, Trial requested, Trial cheaper) {
        if (length < 4 * COUNT * BYTES) {
            return false;
        }
        long requestedSize = 0;
        long cheaperSize = 0;
        for (int i = 0; i < COUNT; i++) {
            int from = offset(i, length);
            requestedSize += requested.compressedSize(data, from, BYTES);
            cheaperSize += cheaper.compressedSize(data, from, BYTES);
        }
        return cheaperSize <= requestedSize;
    }

    /** The start of sample {@code i} (0 to {@link #COUNT} - 1) of a block of {@code length} bytes. */
    static int offset(int i, int length) {
        int from = (int) ((long) (length - BYTES) * (2 * i + 1) / (2 * COUNT + 1)) + i * 4099;
        return Math.min(from, length - BYTES);
    }
}
