package io.veles.internal.pickle;

import io.veles.snapshot.format.SnapshotFormat;

/**
 * The shuffle filter (as in Blosc and HDF5): the bytes of each block of numeric elements are
 * regrouped by significance — every element's first byte, then every second byte, and so on. The
 * sign and exponent bytes of a layer's weights are nearly all alike, so grouped they compress far
 * better than interleaved with the noisy low mantissa bytes.
 *
 * <p>Arrays are shuffled in blocks of {@link SnapshotFormat#SHUFFLE_BLOCK_BYTES}, which both sides
 * cut identically whatever their buffers; arrays smaller than
 * {@link SnapshotFormat#SHUFFLE_MIN_ARRAY_BYTES} and single-byte elements are written as they are.
 */
final class ByteShuffle {
    private ByteShuffle() {}

    static boolean applies(int length, int width) {
        return width > 1 && (long) length * width >= SnapshotFormat.SHUFFLE_MIN_ARRAY_BYTES;
    }

    /** Elements of {@code width} bytes per block. */
    static int elementsPerBlock(int width) {
        return SnapshotFormat.SHUFFLE_BLOCK_BYTES / width;
    }

    /** Regroups {@code count} elements of {@code width} bytes from {@code in} into {@code out}. */
    static void shuffle(byte[] in, int inOffset, byte[] out, int outOffset, int count, int width) {
        for (int b = 0; b < width; b++) {
            int to = outOffset + b * count;
            for (int i = 0, from = inOffset + b; i < count; i++, from += width) {
                out[to + i] = in[from];
            }
        }
    }

    /** Undoes {@link #shuffle}. */
    static void unshuffle(byte[] in, int inOffset, byte[] out, int outOffset, int count, int width) {
        for (int b = 0; b < width; b++) {
            int from = inOffset + b * count;
            for (int i = 0, to = outOffset + b; i < count; i++, to += width) {
                out[to] = in[from + i];
            }
        }
    }
}
