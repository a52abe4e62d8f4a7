package io.veles.snapshot.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;

/**
 * One Zstandard frame per block, with a content checksum, at the requested level or at level 1
 * where level 1 compresses the block's samples at least as small ({@link BlockSamples}). Used
 * when a stream is compressed in parallel blocks; a single-threaded stream keeps the requested
 * level throughout.
 *
 * <p>Byte-shuffled weights are the reason, as for gzip's Huffman-only members: on the
 * nearly-constant exponent planes of N(0, 0.05) float32, zstd's level 1 both compresses better
 * and runs faster than level 3 (2026-12-03, {@code zstd -b} on 64 MiB shuffled in 4 MiB blocks:
 * ratio 1.189 against 1.173, at 1.4 to 2.4 times the speed in two noisy runs; a 1 GiB snapshot
 * took 3.2-4.1 s against 4.6-5.3 s), because level 3's second hash table finds no longer matches
 * there, only costs time. Blocks where the requested level compresses the samples smaller, such
 * as text, keep it. Either way the frame is standard, and any zstd reads it: the level is not
 * recorded in it.
 *
 * <p>The samples stand in for the block: zstd fits its parameters to the input's size, so an
 * 8 KiB sample is compressed with a smaller window and other minimum match lengths than the 4 MiB
 * block. On shuffled weights and on text the choice agrees with the whole block (tested).
 */
final class ZstdFrames {
    /** The cheapest level tried against the requested one. */
    static final int FAST_LEVEL = 1;

    private ZstdFrames() {}

    static void compress(byte[] block, int length, int level, BlockBuffer out) {
        // The native context is closed here: nothing frees it otherwise, and compressing threads
        // come and go with each snapshot.
        try (ZstdCompressCtx context = new ZstdCompressCtx()) {
            context.setChecksum(true);
            out.ensureCapacity((int) Zstd.compressBound(length));
            context.setLevel(levelFor(context, block, length, level, out.array()));
            out.setSize(context.compressByteArray(out.array(), 0, out.array().length, block, 0, length));
        }
    }

    /** The level for this block: {@link #FAST_LEVEL} if its samples come out no larger with it. */
    static int levelFor(ZstdCompressCtx context, byte[] data, int length, int level, byte[] scratch) {
        if (level <= FAST_LEVEL) {
            return level;
        }
        boolean fast = BlockSamples.cheaperDoesAsWell(
                data,
                length,
                (block, from, bytes) -> compressedSize(context, level, block, from, bytes, scratch),
                (block, from, bytes) -> compressedSize(context, FAST_LEVEL, block, from, bytes, scratch));
        return fast ? FAST_LEVEL : level;
    }

    private static int compressedSize(
            ZstdCompressCtx context, int level, byte[] data, int from, int length, byte[] scratch) {
        context.setLevel(level);
        return context.compressByteArray(scratch, 0, scratch.length, data, from, length);
    }
}
