package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

class ZstdFramesTest {
    private static final int BLOCK = 4 << 20;

    @TempDir
    Path dir;

    /** A block of N(0, 0.05) float32 weights, byte-shuffled as the snapshot filter does. */
    private static byte[] shuffledWeights(long seed) {
        Random random = new Random(seed);
        ByteBuffer floats = ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        while (floats.hasRemaining()) {
            floats.putFloat((float) (random.nextGaussian() * 0.05));
        }
        byte[] plain = floats.array();
        int count = BLOCK / 4;
        byte[] shuffled = new byte[BLOCK];
        for (int i = 0; i < count; i++) {
            for (int b = 0; b < 4; b++) {
                shuffled[b * count + i] = plain[4 * i + b];
            }
        }
        return shuffled;
    }

    /** Words drawn from a small vocabulary: text that level 3 compresses better than level 1. */
    private static byte[] text(long seed) {
        Random random = new Random(seed);
        String[] words = new String[400];
        for (int i = 0; i < words.length; i++) {
            StringBuilder word = new StringBuilder();
            for (int letters = 3 + random.nextInt(8); letters > 0; letters--) {
                word.append((char) ('a' + random.nextInt(26)));
            }
            words[i] = word.toString();
        }
        StringBuilder text = new StringBuilder(BLOCK + 16);
        while (text.length() < BLOCK) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? ".\n" : " ");
        }
        return text.substring(0, BLOCK).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

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
        byte[] block = shuffledWeights(1);
        assertThat(levelFor(block, 3)).isEqualTo(ZstdFrames.FAST_LEVEL);
        byte[] frame = frame(block, 3);
        assertThat(frame.length).isLessThanOrEqualTo(sizeAtLevel(block, 3));
        assertThat(Zstd.decompress(frame, block.length)).isEqualTo(block);
        Path file = dir.resolve("weights.zst");
        Files.write(file, frame);
        assertThat(StandardTools.decompressWithTool(Codec.ZSTD, file)).isEqualTo(block);
    }

    @Test
    void textKeepsTheRequestedLevel() {
        byte[] block = text(2);
        assertThat(sizeAtLevel(block, 3))
                .as("the premise: level 3 wins on this text")
                .isLessThan(sizeAtLevel(block, 1));
        assertThat(levelFor(block, 3)).isEqualTo(3);
        assertThat(levelFor(block, 19)).isEqualTo(19);
        byte[] frame = frame(block, 3);
        assertThat(frame.length).isEqualTo(sizeAtLevel(block, 3));
        assertThat(Zstd.decompress(frame, block.length)).isEqualTo(block);
    }

    @Test
    void levelOneAndSmallBlocksAreNotSampled() {
        assertThat(levelFor(shuffledWeights(3), 1)).isEqualTo(1);
        byte[] small = Arrays.copyOf(shuffledWeights(4), 64 << 10);
        assertThat(levelFor(small, 3)).isEqualTo(3);
    }
}
