package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * The parallel gzip reader keeps the buffers of members already served for the next ones: what
 * it allocates does not grow with the stream (a restore reads a state-sized one), and members of
 * any size in any order still come out whole.
 */
class ParallelGzipInputStreamTest {
    private static final int BLOCK = ParallelBlockOutputStream.BLOCK_BYTES;

    private static byte[] member(byte[] data, int length) {
        BlockBuffer out = new BlockBuffer(length + 1024);
        GzipMembers.compress(data, length, 1, out);
        return Arrays.copyOf(out.array(), out.size());
    }

    @Test
    void membersGrowingAndShrinkingInEitherSizeComeOutWhole() throws IOException {
        Random random = new Random(7);
        // Compressed sizes of 4 MiB (noise), a few KiB (a repeated byte), in between (half noise),
        // so that a spare buffer is sometimes too small for the next member.
        int[] lengths = {BLOCK, BLOCK, 100_000, BLOCK, BLOCK - 1, 1, BLOCK, 3 * BLOCK / 4};
        int[] noise = {100, 0, 100, 50, 100, 0, 0, 100};
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < lengths.length; i++) {
            byte[] data = new byte[lengths[i]];
            Arrays.fill(data, (byte) i);
            for (int j = 0; j < data.length * noise[i] / 100; j++) {
                data[j] = (byte) random.nextInt();
            }
            expected.write(data);
            stream.write(member(data, data.length));
        }
        try (InputStream in = new ParallelGzipInputStream(new java.io.ByteArrayInputStream(stream.toByteArray()), 2)) {
            assertThat(in.readAllBytes()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void aMemberOfImpossibleSizeIsReportedOnlyAfterTheMembersBeforeIt() throws IOException {
        byte[] data = new byte[1000];
        new Random(3).nextBytes(data);
        byte[] good = member(data, data.length);
        byte[] bad = member(data, data.length);
        bad[bad.length - 1] = 0x7f; // its size, the last four bytes: 2 GiB - 1
        bad[bad.length - 2] = bad[bad.length - 3] = bad[bad.length - 4] = (byte) 0xff;
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(good);
        stream.write(bad);
        try (InputStream in = new ParallelGzipInputStream(new java.io.ByteArrayInputStream(stream.toByteArray()), 2)) {
            assertThat(in.readNBytes(data.length)).isEqualTo(data);
            assertThatThrownBy(in::read)
                    .isInstanceOf(IOException.class)
                    .hasMessage("corrupt gzip member 2: impossible size 2147483647");
        }
    }

    /** Small members claiming 64 MiB each, more than deflate can make of them, allocate nothing for it. */
    @Test
    void aSizeDeflateCannotReachIsRefusedBeforeItsOutputIsAllocated() throws IOException {
        byte[] data = new byte[16];
        byte[] small = member(data, data.length);
        small[small.length - 1] = 0x04; // its size: 64 MiB
        small[small.length - 2] = small[small.length - 3] = small[small.length - 4] = 0;
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            stream.write(small);
        }
        ThreadAllocations.assumeCounted();
        long before = ThreadAllocations.ofThisThread();
        try (InputStream in = new ParallelGzipInputStream(new java.io.ByteArrayInputStream(stream.toByteArray()), 2)) {
            assertThatThrownBy(in::read)
                    .isInstanceOf(IOException.class)
                    .hasMessage("corrupt gzip member 1: impossible size 67108864");
        }
        assertThat(ThreadAllocations.ofThisThread() - before).isLessThan(16L << 20);
    }

    @Test
    void readingManyMembersAllocatesNoMoreThanReadingAFew() throws IOException {
        byte[] data = new byte[BLOCK];
        new Random(11).nextBytes(data); // incompressible: each member is a full 4 MiB read
        byte[] member = member(data, data.length);
        ThreadAllocations.assumeCounted();
        long few = ThreadAllocations.reading(in -> new ParallelGzipInputStream(in, 2), member, 12, BLOCK);
        long many = ThreadAllocations.reading(in -> new ParallelGzipInputStream(in, 2), member, 48, BLOCK);
        assertThat(few).as("the buffers of the members in flight").isGreaterThan(4L * BLOCK);
        // Without reuse the reading thread allocated every member read: 36 more, 144 MiB.
        assertThat(many - few).isLessThan(BLOCK);
    }

    /**
     * Valid members of 64 MiB of zeros each (65 KB read): with 2 threads four were in flight, each
     * taking its 64 MiB output, before the first was served; on 32 cores a 4 MiB file held 4 GiB.
     * Members in flight are bounded by their bytes too: one this large goes alone.
     */
    @Test
    void membersInFlightAreBoundedByTheirBytesNotOnlyTheirCount() throws IOException {
        int large = 64 << 20;
        byte[] zeros = new byte[large];
        byte[] member = member(zeros, zeros.length);
        zeros = null;
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) {
            stream.write(member);
        }
        ThreadAllocations.assumeCounted();
        try (InputStream in = new ParallelGzipInputStream(new java.io.ByteArrayInputStream(stream.toByteArray()), 2)) {
            long before = ThreadAllocations.ofThisThread();
            assertThat(in.read()).isZero();
            assertThat(ThreadAllocations.ofThisThread() - before)
                    .as("bytes allocated before the first member was served")
                    .isLessThan(2L * large);
            long rest = 0;
            for (long skipped; (skipped = in.skip(Long.MAX_VALUE)) > 0; ) {
                rest += skipped;
            }
            assertThat(rest).isEqualTo(6L * large - 1);
        }
    }

    /**
     * Bytes put between a member's deflate data and its trailer (its recorded length raised to
     * match) were ignored, the CRC still matching; gzip reads the trailer right after the data
     * and refuses the file, and a signature over the decoded bytes would never see them.
     */
    @Test
    void bytesBetweenAMembersDataAndItsTrailerAreCorruption() throws IOException {
        byte[] data = new byte[1000];
        new Random(5).nextBytes(data);
        byte[] member = member(data, data.length);
        byte[] padded = new byte[member.length + 8];
        System.arraycopy(member, 0, padded, 0, member.length - 8);
        System.arraycopy(member, member.length - 8, padded, padded.length - 8, 8);
        int total = padded.length;
        for (int i = 0; i < 4; i++) {
            padded[16 + i] = (byte) (total >>> (8 * i)); // the length our members record, little-endian
        }
        try (InputStream in = new ParallelGzipInputStream(new java.io.ByteArrayInputStream(padded), 2)) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(IOException.class)
                    .hasMessage("corrupt gzip member 1: 8 bytes between its data and its trailer");
        }
    }

    /**
     * A member cut short after a whole one: the whole one's bytes come first, then the failure, as
     * the sequential decoder gives them. Read ahead, the failure was thrown before any byte.
     */
    @Test
    void aTruncatedMemberFailsOnlyAfterTheMembersBeforeItAreServed() throws IOException {
        byte[] data = new byte[1000];
        new Random(4).nextBytes(data);
        byte[] whole = member(data, data.length);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(whole);
        stream.write(whole, 0, 100);
        try (InputStream in = new ParallelGzipInputStream(new java.io.ByteArrayInputStream(stream.toByteArray()), 2)) {
            assertThat(in.readNBytes(data.length)).isEqualTo(data);
            assertThatThrownBy(in::read)
                    .isInstanceOf(java.io.EOFException.class)
                    .hasMessage("gzip stream ends inside member 2 (truncated)");
        }
    }
}
