package io.veles.snapshot.codec;

import io.veles.internal.util.DaemonThreads;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Compresses in independent blocks on several threads and writes the results in order: one
 * gzip member, bzip2 stream, xz stream, zstd frame, LZ4 frame or Snappy framing stream per block,
 * which is still a single valid stream for each format's standard tool (all of them read
 * concatenations). Memory is bounded: at most {@code maxPending} blocks are in flight.
 *
 * <p>{@link #flush()} does not end a block early (Kryo flushes every 64 KiB); only close() does.
 */
final class ParallelBlockOutputStream extends OutputStream {
    /** Block size: large enough that per-block headers and a fresh dictionary cost little. */
    static final int BLOCK_BYTES = 4 << 20;
    /** Input and output of all pending blocks stay below this. */
    private static final long MAX_PENDING_BYTES = 48L << 20;

    /** Compresses one whole block into a self-contained member of the codec's format. */
    @FunctionalInterface
    interface BlockCodec {
        /** Writes the member for {@code length} bytes of {@code block} into {@code out}, which is empty. */
        void compress(byte[] block, int length, BlockBuffer out) throws IOException;
    }

    private final OutputStream sink;
    private final BlockCodec codec;
    private final ExecutorService pool;
    private final CompressionThreads threads;
    private final int maxPending;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    /** Output buffers of blocks already written, for the next ones: no new large array per block. */
    private final ArrayDeque<BlockBuffer> spareOutputs = new ArrayDeque<>();

    private final int blockBytes;
    private byte[] block;
    private int filled;
    private boolean closed;

    private record Pending(byte[] input, BlockBuffer output, Future<?> done) {}

    ParallelBlockOutputStream(OutputStream sink, BlockCodec codec, int threads, int blockBytes) {
        this(sink, codec, CompressionThreads.fixed(threads), blockBytes);
    }

    ParallelBlockOutputStream(OutputStream sink, BlockCodec codec, CompressionThreads threads, int blockBytes) {
        this.sink = sink;
        this.codec = codec;
        this.blockBytes = blockBytes;
        this.threads = threads;
        // One block per thread, and one more so that the threads never wait for the writer.
        this.maxPending = (int) Math.max(2, Math.min(threads.most() + 1L, MAX_PENDING_BYTES / (2L * blockBytes)));
        this.pool = DaemonThreads.pool(threads.most(), "veles-compress");
        this.block = new byte[blockBytes];
    }

    /**
     * Blocks that may be compressing or waiting to be written now. Below every thread, as many as
     * may compress at once: the writer fills the next block while they work, and waits for the
     * oldest before handing over another.
     */
    private int pendingLimit() {
        int allowed = threads.allowed();
        return allowed >= threads.most() ? maxPending : Math.min(allowed, maxPending);
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == block.length) {
            submit();
        }
        block[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == block.length) {
                submit();
            }
            int n = Math.min(length, block.length - filled);
            System.arraycopy(bytes, offset, block, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void flush() {
        // Blocks end only when full or at close: an early end would cost ratio and speed.
    }

    private void submit() throws IOException {
        while (pending.size() >= pendingLimit()) {
            drainOne();
        }
        byte[] input = block;
        int length = filled;
        BlockBuffer output =
                spareOutputs.isEmpty() ? new BlockBuffer(length + (length >> 3) + 1024) : spareOutputs.poll();
        output.reset();
        pending.add(new Pending(input, output, pool.submit(() -> {
            codec.compress(input, length, output);
            return null;
        })));
        block = spare.isEmpty() ? new byte[blockBytes] : spare.poll();
        filled = 0;
    }

    private void drainOne() throws IOException {
        Pending next = pending.poll();
        try {
            next.done().get();
            sink.write(next.output().array(), 0, next.output().size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IOException(cause);
        }
        spare.add(next.input());
        spareOutputs.add(next.output());
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (filled > 0 || pending.isEmpty()) {
                submit();
            }
            while (!pending.isEmpty()) {
                drainOne();
            }
            sink.close();
        } finally {
            pool.shutdownNow();
        }
    }
}
