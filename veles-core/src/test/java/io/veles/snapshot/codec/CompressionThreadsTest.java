package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** A parallel compressor keeps no more threads busy than it is allowed, and uses more once raised. */
class CompressionThreadsTest {
    private static final int BLOCK = 16 << 10;

    /** Copies each block as it is, tagged with its length, and counts how many run at once. */
    private static final class CountingCodec implements ParallelBlockOutputStream.BlockCodec {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        volatile CyclicBarrier meeting; // when set, the next two blocks finish only once both run
        final AtomicInteger meetingPlaces = new AtomicInteger(2);

        @Override
        public void compress(byte[] block, int length, BlockBuffer out) throws IOException {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            try {
                CyclicBarrier barrier = meeting;
                if (barrier != null && meetingPlaces.getAndDecrement() > 0) {
                    barrier.await(10, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(5); // long enough for the writer to hand over more blocks if it may
                }
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IOException("no second block ran beside this one", e);
            } finally {
                running.decrementAndGet();
            }
            out.write(length >>> 8);
            out.write(length);
            out.write(block, 0, length);
        }
    }

    private static byte[] data() {
        byte[] data = new byte[20 * BLOCK + 123];
        new Random(17).nextBytes(data);
        return data;
    }

    private static byte[] compress(CountingCodec codec, CompressionThreads threads, byte[] data, Runnable halfway)
            throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new ParallelBlockOutputStream(sink, codec, threads, BLOCK)) {
            out.write(data, 0, data.length / 2);
            halfway.run();
            out.write(data, data.length / 2, data.length - data.length / 2);
        }
        return sink.toByteArray();
    }

    @Test
    void oneAllowedThreadCompressesOneBlockAtATime() throws IOException {
        CountingCodec codec = new CountingCodec();
        byte[] limited = compress(codec, CompressionThreads.startingAt(1, 3), data(), () -> {});

        assertThat(codec.most.get()).isEqualTo(1);
        assertThat(limited).isEqualTo(compress(new CountingCodec(), CompressionThreads.fixed(3), data(), () -> {}));
    }

    @Test
    void raisedWhileRunningItCompressesBlocksSideBySide() throws IOException {
        CountingCodec codec = new CountingCodec();
        CompressionThreads threads = CompressionThreads.startingAt(1, 3);
        byte[] raised = compress(codec, threads, data(), () -> {
            assertThat(codec.most.get()).as("before the raise").isEqualTo(1);
            threads.useAll();
            codec.meeting = new CyclicBarrier(2); // the next block waits for a second one to run
        });

        assertThat(threads.allowed()).isEqualTo(3);
        assertThat(codec.most.get()).isGreaterThanOrEqualTo(2);
        assertThat(raised).isEqualTo(compress(new CountingCodec(), CompressionThreads.fixed(1 + 2), data(), () -> {}));
    }

    @Test
    void theAllowedCountStaysWithinOneAndTheMost() {
        assertThat(CompressionThreads.startingAt(0, 2).allowed()).isEqualTo(1);
        assertThat(CompressionThreads.startingAt(5, 2).allowed()).isEqualTo(2);
        assertThat(CompressionThreads.fixed(0).most()).isEqualTo(1);
    }
}
