package io.veles.snapshot.codec;

import io.veles.internal.util.DaemonThreads;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads gzip, inflating on several threads the members that record their length
 * ({@link GzipMembers}), in order. From the first member that does not (a file gzip itself
 * wrote, or recompressed), it reads on as a plain sequential gzip stream of concatenated members.
 */
final class ParallelGzipInputStream extends DecodedChunksInputStream {
    /** No member of ours holds more than a block; a larger claim is corruption, refused before allocating. */
    private static final int MAX_MEMBER_BYTES = 64 << 20;

    /**
     * The most bytes deflate makes of one (a 258-byte match in about two bits): a member claiming
     * more than this times its own length is refused before its output is allocated, where 28
     * bytes claiming 64 MiB each had made every member in flight take that much.
     */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /**
     * Bytes one member of ours may take in flight, read and inflated: a block each way, with the
     * room a spare buffer leaves. Members in flight are bounded by their count and by this times
     * that count together: valid members claiming 64 MiB each (a megabyte of zeros deflated) had
     * made every one of 2 × threads members in flight take that much before the first was served.
     */
    private static final long MEMBER_BUDGET =
            2L * (ParallelBlockOutputStream.BLOCK_BYTES + (ParallelBlockOutputStream.BLOCK_BYTES >> 3));

    private final InputStream source;
    private final ExecutorService pool;
    private final int maxPending;
    private final long maxPendingBytes;
    /** What the members in flight hold, read and inflated; a member larger than the budget goes alone. */
    private long pendingBytes;

    private final ArrayDeque<Member> pending = new ArrayDeque<>();
    private boolean sourceDone;
    private long members;

    /** A member's bytes as read (the start of {@code input}) and its inflation into {@code output}. */
    private record Member(byte[] input, byte[] output, Future<Integer> inflated) {
        long bytes() {
            return (long) input.length + (output == null ? 0 : output.length);
        }
    }

    ParallelGzipInputStream(InputStream source, int threads) {
        this.source = source;
        this.maxPending = Math.max(2, 2 * threads);
        this.maxPendingBytes = maxPending * MEMBER_BUDGET;
        this.pool = DaemonThreads.pool(threads, "veles-inflate");
    }

    @Override
    protected boolean nextChunk() throws IOException {
        topUp();
        if (pending.isEmpty()) {
            return false;
        }
        Member next = pending.peek();
        int size = await(next.inflated(), "gzip"); // taken only once done: a read retried after an interrupt gets it
        pending.poll();
        pendingBytes -= next.bytes();
        serve(next.input(), next.output(), size);
        return true;
    }

    @Override
    protected InputStream sequentialDecoder(InputStream rest) throws IOException {
        return RuntimeFailuresAsCorrupt.of("gzip", () -> new GzipCompressorInputStream(rest, true));
    }

    private void topUp() throws IOException {
        while (!sourceDone && pending.size() < maxPending && (pending.isEmpty() || pendingBytes < maxPendingBytes)) {
            try {
                readMember();
            } catch (IOException e) {
                // a member cut short or claiming an impossible length: reported once the members
                // before it are served, as the sequential decoder would report it
                add(new Member(new byte[0], null, CompletableFuture.failedFuture(e)));
                sourceDone = true;
            }
        }
    }

    private void readMember() throws IOException {
        byte[] head = source.readNBytes(GzipMembers.HEADER_BYTES);
        if (head.length == 0 && members > 0) {
            sourceDone = true;
            return;
        }
        if (!isOurs(head)) {
            // Not a member that says its length: read the rest as plain gzip.
            handOver(List.of(new ByteArrayInputStream(head), source));
            sourceDone = true;
            return;
        }
        int total = GzipMembers.getIntLE(head, 16);
        if (total < GzipMembers.HEADER_BYTES + 8 || total > MAX_MEMBER_BYTES) {
            throw new IOException("corrupt gzip member " + (members + 1) + ": impossible length " + total);
        }
        // room for members a little larger than this one, so that their buffers stay in use
        byte[] member = spareInputs.take(total, Math.min(MAX_MEMBER_BYTES, total + total / 8));
        System.arraycopy(head, 0, member, 0, head.length);
        int got = source.readNBytes(member, head.length, total - head.length);
        if (got != total - head.length) {
            throw new EOFException("gzip stream ends inside member " + (members + 1) + " (truncated)");
        }
        long index = ++members;
        int size = GzipMembers.getIntLE(member, total - 4);
        if (size < 0 || size > MAX_MEMBER_BYTES || size > MAX_DEFLATE_RATIO * total) {
            // Reported when this member is due, after the ones before it, as an inflation's failure is.
            IOException impossible = new IOException("corrupt gzip member " + index + ": impossible size " + size);
            add(new Member(member, null, CompletableFuture.failedFuture(impossible)));
            return;
        }
        byte[] out = spareOutputs.take(size, size);
        add(new Member(member, out, pool.submit(() -> inflate(member, total, out, size, index))));
    }

    private void add(Member member) {
        pending.add(member);
        pendingBytes += member.bytes();
    }

    private static boolean isOurs(byte[] head) {
        return head.length == GzipMembers.HEADER_BYTES
                && (head[0] & 0xff) == 0x1f
                && (head[1] & 0xff) == 0x8b
                && head[2] == 8
                && head[3] == 4
                && head[10] == 8
                && head[11] == 0
                && head[12] == GzipMembers.SUBFIELD_1
                && head[13] == GzipMembers.SUBFIELD_2
                && head[14] == 4
                && head[15] == 0;
    }

    /** Inflates the member in the first {@code total} bytes of {@code member} into {@code out}; returns its size. */
    private static int inflate(byte[] member, int total, byte[] out, int size, long index) throws IOException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(member, GzipMembers.HEADER_BYTES, total - GzipMembers.HEADER_BYTES - 8);
            int n = 0;
            while (n < size && !inflater.finished()) {
                int got = inflater.inflate(out, n, size - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != size || !inflater.finished() && inflater.inflate(new byte[1]) != 0 || !inflater.finished()) {
                throw new IOException("corrupt gzip member " + index + ": its data does not inflate to its size");
            }
            if (inflater.getRemaining() != 0) {
                // gzip reads the trailer right after the data: bytes between them are damage (or
                // hidden content that a signature over the decoded bytes would never see)
                throw new IOException("corrupt gzip member " + index + ": " + inflater.getRemaining()
                        + " bytes between its data and its trailer");
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt gzip member " + index + ": " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(out, 0, size);
        if ((int) crc.getValue() != GzipMembers.getIntLE(member, total - 8)) {
            throw new IOException("corrupt gzip member " + index + ": CRC mismatch");
        }
        return size;
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        pending.clear();
        if (!closeSequential()) {
            source.close();
        }
    }
}
