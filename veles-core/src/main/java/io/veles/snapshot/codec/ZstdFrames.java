package io.veles.snapshot.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;

/**
 * One Zstandard frame per block, with a content checksum, at the requested level or at level 1
 * where level 1 compresses the block's samples at least as small ({@link BlockSamples}).
 *
 * <p>Byte-shuffled weights are the reason, as for gzip's Huffman-only members: on the
 * nearly-constant exponent planes of N(0, 0.05) float32, zstd's level 1 both compresses better
 * and runs faster than level 3 (2026-12-03, {@code zstd -b} on 64 MiB shuffled in 4 MiB blocks:
 * ratio 1.189 against 1.173, and about 2.4 times the speed), because level 3's second hash table
 * finds no longer matches there, only costs time. Other blocks (the object graph, text) keep the
 * requested level. Either way the frame is standard, and any zstd reads it: the level is not
 * recorded in it.
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
                (sample, from, bytes) -> compressedSize(context, level, sample, from, bytes, scratch),
                (sample, from, bytes) -> compressedSize(context, FAST_LEVEL, sample, from, bytes, scratch));
        return fast ? FAST_LEVEL : level;
    }

    private static int compressedSize(
            ZstdCompressCtx context, int level, byte[] data, int from, int length, byte[] scratch) {
        context.setLevel(level);
        return context.compressByteArray(scratch, 0, scratch.length, data, from, length);
    }
}
