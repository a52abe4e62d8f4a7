package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

class ZstdFramesTest {
    @TempDir
    Path dir;

    private static int levelFor(byte[] block, int level) {
        try (ZstdCompressCtx context = new ZstdCompressCtx()) {
            return ZstdFrames.levelFor(
                    context, block, block.length, level, new byte[(int) Zstd.compressBound(block.length)]);
        }
    }

    private static byte[] frame(byte[] block, int level) {
        BlockBuffer out = new BlockBuffer(16);
        ZstdFrames.compress(block, block.length, level, out);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static int sizeAtLevel(byte[] block, int level) {
        try (ZstdCompressCtx context = new ZstdCompressCtx()) {
            context.setLevel(level);
            context.setChecksum(true);
            return context.compress(block).length;
        }
    }

    @Test
    void shuffledWeightsTakeTheFastLevelAndComeOutNoLarger() throws IOException {
        byte[] block = BlockData.shuffledWeights(1);
        assertThat(levelFor(block, 3)).isEqualTo(ZstdFrames.FAST_LEVEL);
        byte[] frame = frame(block, 3);
        assertThat(frame.length)
                .isEqualTo(sizeAtLevel(block, ZstdFrames.FAST_LEVEL))
                .isLessThanOrEqualTo(sizeAtLevel(block, 3));
        assertThat(Zstd.decompress(frame, block.length)).isEqualTo(block);
        Path file = dir.resolve("weights.zst");
        Files.write(file, frame);
        assertThat(StandardTools.decompressWithTool(Codec.ZSTD, file)).isEqualTo(block);
    }

    @Test
    void textKeepsTheRequestedLevel() {
        byte[] block = BlockData.text(2);
        assertThat(sizeAtLevel(block, 3))
                .as("the premise: level 3 wins on this text")
                .isLessThan(sizeAtLevel(block, 1));
        assertThat(levelFor(block, 3)).isEqualTo(3);
        assertThat(levelFor(block, 19)).isEqualTo(19);
        byte[] frame = frame(block, 3);
        assertThat(frame.length).isEqualTo(sizeAtLevel(block, 3));
        assertThat(Zstd.decompress(frame, block.length)).isEqualTo(block);
    }

    /** No room to compress into: any trial on a sample would throw. */
    @Test
    void levelOneAndSmallBlocksAreNotSampled() {
        try (ZstdCompressCtx context = new ZstdCompressCtx()) {
            byte[] weights = BlockData.shuffledWeights(3);
            assertThat(ZstdFrames.levelFor(context, weights, weights.length, 1, new byte[0]))
                    .isEqualTo(1);
            byte[] small = Arrays.copyOf(BlockData.shuffledWeights(4), 64 << 10);
            assertThat(ZstdFrames.levelFor(context, small, small.length, 3, new byte[0]))
                    .isEqualTo(3);
        }
    }
}
