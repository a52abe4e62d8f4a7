package io.veles.snapshot.codec;

/**
 * Where to sample a block when a codec picks how to compress it by trying both ways on a part of
 * it: eight pieces of 8 KiB spread over the block. Spread, because a byte-shuffled block is
 * planes of different kinds (nearly constant exponents, noise-like low mantissa bytes), and at
 * irregular offsets, so that the samples do not all fall on the same plane.
 */
final class BlockSamples {
    static final int COUNT = 8;
    static final int BYTES = 8 << 10;

    private BlockSamples() {}

    /** Whether a block of {@code length} bytes is large enough to be judged by samples. */
    static boolean worthSampling(int length) {
        return length >= 4 * COUNT * BYTES;
    }

    /** The start of sample {@code i} (0 to {@link #COUNT} - 1) of a block of {@code length} bytes. */
    static int offset(int i, int length) {
        int from = (int) ((long) (length - BYTES) * (2 * i + 1) / (2 * COUNT + 1)) + i * 4099;
        return Math.min(from, length - BYTES);
    }
}
