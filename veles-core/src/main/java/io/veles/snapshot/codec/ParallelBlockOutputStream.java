package io.veles.snapshot.codec;

import io.veles.internal.util.DaemonThreads;
import io.veles.internal.util.Uninterruptibly;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Compresses in independent blocks on several threads and writes the results in order: one
 * gzip member, bzip2 stream, xz stream, zstd frame, LZ4 frame or Snappy framing stream per block,
 * which is still a single valid stream for each format's standard tool (all of them read
 * concatenations). Memory is bounded: at most {@code maxPending} blocks are in flight.
 *
 * <p>Compressed blocks reach the sink from a thread of their own, in order. The caller no longer
 * writes to the sink itself: it waits for it only when every pending slot is taken, and at
 * close(). A file's writes wait for the disk (see DurableFileOutput), and while the caller made
 * them the compressing threads ran out of blocks: it spent 0.31-0.38 s of a 1.42-1.54-s 1 GiB
 * zstd snapshot in the sink, and such snapshots went from 1.32-1.51 s to 1.18-1.36 s with the
 * writer thread (seven alternating pairs, 2026-12-05). Once a block fails, none after it is
 * written, and close() returns only when the sink is no longer being written.
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
    /** One thread: writes each compressed block to the sink, in the order they were handed over. */
    private final ExecutorService writer;
    /** Set once a block failed to compress or to be written: the blocks after it are not written. */
    private volatile boolean failed;

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

    /** A block handed over: {@code written} completes once its compressed bytes are in the sink. */
    private record Pending(byte[] input, BlockBuffer output, Future<?> compressed, Future<?> written) {}

    ParallelBlockOutputStream(OutputStream sink, BlockCodec codec, int threads, int blockBytes) {
        this(sink, codec, CompressionThreads.fixed(threads), blockBytes);
    }

    ParallelBlockOutputStream(OutputStream sink, BlockCodec codec, CompressionThreads threads, int blockBytes) {
        this.sink = sink;
        this.codec = codec;
        this.blockBytes = blockBytes;
        this.threads = threads;
        // One block per thread, and one more so that the threads never wait for the caller.
        this.maxPending = (int) Math.max(2, Math.min(threads.most() + 1L, MAX_PENDING_BYTES / (2L * blockBytes)));
        this.pool = DaemonThreads.pool(threads.most(), "veles-compress");
        this.writer = DaemonThreads.pool(1, "veles-write");
        this.block = new byte[blockBytes];
    }

    /**
     * Blocks that may be compressing or waiting to be written now. Below every thread, as many as
     * may compress at once: the caller fills the next block while they work, and waits for the
     * oldest to be written before handing over another.
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
        Future<?> compressed = pool.submit(() -> {
            codec.compress(input, length, output);
            return null;
        });
        pending.add(new Pending(input, output, compressed, writer.submit(() -> {
            writeWhenCompressed(compressed, output);
            return null;
        })));
        block = spare.isEmpty() ? new byte[blockBytes] : spare.poll();
        filled = 0;
    }

    /** On the writer's thread: the block's bytes into the sink once compressed, unless one before it failed. */
    private void writeWhenCompressed(Future<?> compressed, BlockBuffer output) throws Exception {
        try {
            try {
                compressed.get();
            } catch (ExecutionException e) { // reported as the compressor threw it, by drainOne
                throw e.getCause() instanceof Exception cause ? cause : new IOException(e.getCause());
            }
            if (failed) {
                throw new IOException("not written: a block before it failed");
            }
            sink.write(output.array(), 0, output.size());
        } catch (Throwable t) {
            failed = true;
            throw t;
        }
    }

    /** Waits for the oldest block to be in the sink, and keeps its buffers for the next ones. */
    private void drainOne() throws IOException {
        Pending next = pending.poll();
        try {
            next.written().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing or writing a block");
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
            stopWriting();
        }
    }

    /**
     * After the last block or a failure: no block still pending is written, and the sink is left
     * alone from the moment this returns (its owner may delete what it was writing). A write
     * already under way is let finish rather than interrupted, which would close a file channel;
     * the wait has no time limit and outlasts an interrupt, so a write that hangs holds close()
     * as long as it held the caller when the caller wrote to the sink itself.
     */
    private void stopWriting() {
        failed = true;
        for (Pending block : pending) {
            block.compressed().cancel(true); // else a block that never started would never complete
        }
        pool.shutdownNow();
        writer.shutdown();
        Uninterruptibly.run(() -> {
            while (!writer.awaitTermination(1, TimeUnit.MINUTES)) {
                // a write still going: wait on
            }
        });
    }
}
