package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

class GzipMembersTest {
    private static byte[] member(byte[] block, int level) {
        BlockBuffer out = new BlockBuffer(16);
        GzipMembers.compress(block, block.length, level, out);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static long deflatedSize(byte[] block, int level, int strategy) {
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setStrategy(strategy);
            deflater.setInput(block);
            deflater.finish();
            byte[] sink = new byte[64 << 10];
            while (!deflater.finished()) {
                deflater.deflate(sink);
            }
            return deflater.getBytesWritten();
        } finally {
            deflater.end();
        }
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
                .isEqualTo(deflatedSize(block, 6, Deflater.HUFFMAN_ONLY))
                .isLessThanOrEqualTo(deflatedSize(block, 6, Deflater.DEFAULT_STRATEGY));
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
