package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

class GzipMembersTest {
    private static byte[] member(byte[] block, int level) {
        BlockBuffer out = new BlockBuffer(16);
        GzipMembers.compress(block, block.length, level, out);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static long deflatedSize(byte[] block, int level, int strategy) {
        return GzipMembers.deflatedSize(block, 0, block.length, level, strategy);
    }

    /**
     * Compresses {@code block} as one member, checks that it inflates back to the block, and
     * returns the size of its deflate data (the member less its header and its CRC and length).
     */
    private static long deflatedBytesOfMemberThatInflatesBack(byte[] block, int level) throws IOException {
        byte[] member = member(block, level);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(member))) {
            assertThat(in.readAllBytes()).isEqualTo(block);
        }
        return (long) member.length - GzipMembers.HEADER_BYTES - 8;
    }

    @Test
    void shuffledWeightsAreHuffmanCodedAndComeOutNoLarger() throws IOException {
        byte[] block = BlockData.shuffledWeights(1);
        assertThat(GzipMembers.strategyFor(block, block.length, 6)).isEqualTo(Deflater.HUFFMAN_ONLY);
        assertThat(deflatedBytesOfMemberThatInflatesBack(block, 6))
                .isLessThan(deflatedSize(block, 6, Deflater.HUFFMAN_ONLY))
                .isLessThan(deflatedSize(block, 6, Deflater.DEFAULT_STRATEGY));
    }

    /**
     * Planes cut at odd places, runs of one byte and stored noise, as members gzip itself reads:
     * the block boundaries of our own Huffman coder are plain deflate.
     */
    @Test
    void gzipReadsHuffmanCodedMembersWhereverThePlanesFall(@TempDir Path dir) throws IOException {
        byte[] weights = BlockData.shuffledWeights(7);
        byte[] noise = new byte[300_001];
        new Random(8).nextBytes(noise);
        byte[] constant = new byte[70_000];
        Arrays.fill(constant, (byte) 0x3c);
        byte[] data = BlockData.concat(
                Arrays.copyOfRange(weights, 12_345, weights.length - 54_321), constant, noise, weights);
        assertThat(GzipMembers.strategyFor(data, data.length, 6)).isEqualTo(Deflater.HUFFMAN_ONLY);
        Path file = dir.resolve("planes.gz");
        Files.write(file, member(data, 6));
        StandardTools.assertToolAccepts(Codec.GZIP, file);
        assertThat(StandardTools.decompressWithTool(Codec.GZIP, file)).isEqualTo(data);
    }

    @Test
    void textKeepsStringMatching() throws IOException {
        byte[] block = BlockData.text(2);
        assertThat(GzipMembers.strategyFor(block, block.length, 6)).isEqualTo(Deflater.DEFAULT_STRATEGY);
        assertThat(deflatedBytesOfMemberThatInflatesBack(block, 6))
                .isEqualTo(deflatedSize(block, 6, Deflater.DEFAULT_STRATEGY));
    }

    @Test
    void smallBlocksKeepStringMatching() {
        byte[] small = Arrays.copyOf(BlockData.shuffledWeights(4), 64 << 10);
        assertThat(GzipMembers.strategyFor(small, small.length, 6)).isEqualTo(Deflater.DEFAULT_STRATEGY);
    }
}
