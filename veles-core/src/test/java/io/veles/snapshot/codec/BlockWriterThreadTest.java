package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A parallel compressor's blocks reach the sink from a thread of its own, in order; after a block
 * fails, to compress or to be written, none after it reaches the sink, and once close() has
 * returned the sink is never written again, so that its owner may delete it.
 */
class BlockWriterThreadTest {
    private static final int BLOCK = 16 << 10;
    private static final int BLOCKS = 12;

    /** Stores each block unchanged, after a short sleep; {@link #data()} fills each block with its index. */
    private static final ParallelBlockOutputStream.BlockCodec COPY = (block, length, out) -> {
        pause(2);
        out.write(block, 0, length);
    };

    /**
     * Records the first byte (the block's index) of each write and its thread; the write numbered
     * {@code failAt} (from 1) is recorded, then fails.
     */
    private static final class RecordingSink extends OutputStream {
        final List<Byte> blocks = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicBoolean closeReturned = new AtomicBoolean();
        /** Set when a write starts or ends after close() returned. */
        final AtomicBoolean writtenAfterClose = new AtomicBoolean();

        final int failAt;
        /** Interrupted when the third write starts, if set: the caller then still has blocks to hand over. */
        volatile Thread interruptAtThirdWrite;

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        RecordingSink(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public void write(int b) {
            throw new AssertionError("blocks are written whole");
        }

        @Override
        public synchronized void write(byte[] data, int offset, int length) throws IOException {
            if (closeReturned.get()) {
                writtenAfterClose.set(true);
            }
            threads.add(Thread.currentThread().getName());
            blocks.add(data[offset]);
            if (blocks.size() == 3 && interruptAtThirdWrite != null) {
                interruptAtThirdWrite.interrupt();
            }
            if (blocks.size() == failAt) {
                throw new IOException("disk full (write " + failAt + ")");
            }
            pause(5); // slow, as a disk is: an unwaited writer would still be busy after close
            bytes.write(data, offset, length);
            if (closeReturned.get()) {
                writtenAfterClose.set(true);
            }
        }
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** BLOCKS blocks, each filled with its index. */
    private static byte[] data() {
        byte[] data = new byte[BLOCKS * BLOCK];
        for (int i = 0; i < BLOCKS; i++) {
            Arrays.fill(data, i * BLOCK, (i + 1) * BLOCK, (byte) i);
        }
        return data;
    }

    private static void writeAll(ParallelBlockOutputStream.BlockCodec codec, RecordingSink sink) throws IOException {
        try (OutputStream out = new ParallelBlockOutputStream(sink, codec, 2, BLOCK)) {
            out.write(data());
        } finally {
            sink.closeReturned.set(true);
        }
    }

    @Test
    void blocksReachTheSinkInOrderFromTheWriterThreadNeverTheCallers() throws IOException {
        RecordingSink sink = new RecordingSink(-1);
        writeAll(COPY, sink);

        assertThat(sink.bytes.toByteArray()).isEqualTo(data());
        assertThat(sink.threads).hasSize(BLOCKS).allMatch("veles-write"::equals);
    }

    @Test
    void afterAFailedWriteNoLaterBlockReachesTheSinkNorAnyWriteAfterClose() {
        RecordingSink sink = new RecordingSink(3);

        assertThatThrownBy(() -> writeAll(COPY, sink))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full (write 3)");

        pause(100); // a writer left running would write the blocks after the third by now
        assertThat(sink.blocks).containsExactly((byte) 0, (byte) 1, (byte) 2);
        assertThat(sink.writtenAfterClose).isFalse();
    }

    @Test
    void aBlockThatFailsToCompressStopsEveryBlockAfterIt() {
        RecordingSink sink = new RecordingSink(-1);
        ParallelBlockOutputStream.BlockCodec failingFifth = (block, length, out) -> {
            if (block[0] == 4) {
                throw new IOException("block 4 would not compress");
            }
            COPY.compress(block, length, out);
        };

        assertThatThrownBy(() -> writeAll(failingFifth, sink))
                .isInstanceOf(IOException.class)
                .hasMessage("block 4 would not compress");

        pause(100);
        assertThat(sink.blocks).containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3);
        assertThat(sink.writtenAfterClose).isFalse();
    }

    @Test
    void anErrorWhileCompressingIsReportedAsTheCompressorThrewIt() {
        RecordingSink sink = new RecordingSink(-1);
        ParallelBlockOutputStream.BlockCodec failingFirst = (block, length, out) -> {
            throw new IllegalStateException("the codec's own bug");
        };

        assertThatThrownBy(() -> writeAll(failingFirst, sink))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the codec's own bug");
        assertThat(sink.blocks).isEmpty();
    }

    @Test
    void anInterruptedCallerReturnsFromCloseOnlyOnceTheSinkIsLeftAlone() {
        RecordingSink sink = new RecordingSink(-1);
        sink.interruptAtThirdWrite = Thread.currentThread();
        try {
            assertThatThrownBy(() -> writeAll(COPY, sink)).isInstanceOf(InterruptedIOException.class);
            assertThat(Thread.currentThread().isInterrupted())
                    .as("the interrupt is kept")
                    .isTrue();
        } finally {
            Thread.interrupted();
        }

        pause(100); // a write under way when close() returned would be recorded by now
        assertThat(sink.writtenAfterClose).isFalse();
        assertThat(sink.blocks.size()).isLessThan(BLOCKS);
    }
}
