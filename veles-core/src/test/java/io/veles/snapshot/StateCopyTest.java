package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.FreshJvm;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;

class StateCopyTest {
    @Test
    void writesOfAnySizeComeBackInOrderAcrossPiecesAndReuses() throws IOException {
        SplittableRandom random = new SplittableRandom(17);
        StateCopy copy = new StateCopy();
        for (int round = 0; round < 3; round++) { // a reused copy holds only the latest state
            copy.reset();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            long total = 0;
            while (total < (1 << 20) + round * 300_000L) {
                int kind = random.nextInt(3);
                if (kind == 0) {
                    int b = random.nextInt(256);
                    copy.write(b);
                    expected.write(b);
                    total++;
                } else {
                    // small writes and writes longer than a piece, at offsets inside a larger array
                    byte[] bytes = new byte[kind == 1 ? random.nextInt(1, 100) : random.nextInt(1, 700_000)];
                    random.nextBytes(bytes);
                    int offset = random.nextInt(bytes.length);
                    int length = random.nextInt(bytes.length - offset + 1);
                    copy.write(bytes, offset, length);
                    expected.write(bytes, offset, length);
                    total += length;
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copy.writeTo(out);
            assertThat(copy.size()).isEqualTo(total);
            assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void regionsLentToArraysJoinTheStreamWhereTheyWereClaimed() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        StateCopy copy = new StateCopy();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        copy.write(new byte[] {1, 2, 3}); // the regions start at an odd offset in a piece
        expected.write(new byte[] {1, 2, 3});
        for (int i = 0; i < 400; i++) {
            if (random.nextBoolean()) {
                byte[] bytes = new byte[random.nextInt(1, 5000)];
                random.nextBytes(bytes);
                copy.write(bytes);
                expected.write(bytes);
            } else {
                java.nio.ByteBuffer region = copy.claim();
                assertThat(region.order()).isEqualTo(java.nio.ByteOrder.LITTLE_ENDIAN);
                int bytes = random.nextInt(0, Math.min(region.remaining(), 9000) + 1);
                for (int b = 0; b < bytes; b++) {
                    byte value = (byte) random.nextInt(256);
                    region.put(value);
                    expected.write(value);
                }
                if (region.hasRemaining()) {
                    region.put((byte) 99); // beyond what is committed: not part of the stream
                }
                copy.commit(bytes);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy.writeTo(out);
        assertThat(copy.size()).isEqualTo(expected.size());
        assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void theCopyIsHeldOutsideTheHeapAndFreedAsSoonAsItIsDropped() {
        StateCopy copy = new StateCopy();
        copy.reserve(64L << 20);
        assertThat(copy.directCapacity()).isEqualTo(copy.capacity()).isGreaterThanOrEqualTo(64L << 20);
        // Freed now, not when the collector finds the buffers: the pool shrinks at once. (A
        // collection in between could only shrink it further.)
        long held = directMemoryUsed();
        copy.reset();
        copy.trimTo(16L << 20);
        assertThat(held - directMemoryUsed()).as("freed by trimming to 16 MiB").isGreaterThanOrEqualTo(48L << 20);
        held = directMemoryUsed();
        copy.release();
        assertThat(copy.capacity()).isZero();
        assertThat(held - directMemoryUsed()).as("freed by release").isGreaterThanOrEqualTo(16L << 20);
    }

    @Test
    void aClosedSnapshottersCopyIsFreedOnTheWritingThread() throws Exception {
        BackgroundWrites writes = new BackgroundWrites();
        StateCopy copy = writes.reserve(32L << 20, () -> {});
        assertThat(writes.copyCapacity()).isGreaterThanOrEqualTo(32L << 20);
        long held = directMemoryUsed();
        writes.close();
        for (int i = 0; i < 200 && copy.capacity() > 0; i++) {
            Thread.sleep(25); // released on the writing thread, after anything queued there
        }
        assertThat(copy.capacity()).isZero();
        assertThat(held - directMemoryUsed()).as("freed by close").isGreaterThanOrEqualTo(32L << 20);
    }

    @Test
    void underATightDirectMemoryLimitTheCopyFallsBackToTheHeap() throws Exception {
        List<String> output = FreshJvm.run(List.of("-XX:MaxDirectMemorySize=1m"), null, TightLimit.class);
        // At most the 1 MiB limit outside the heap, the other 7 MiB in it. Each refused direct
        // allocation costs the JVM a collection and half a second of retries, so the copy asks
        // five times (four pieces granted, one refused), not once per piece (32).
        assertThat(output).contains("capacity 8388608 direct 1048576 requests 5 round trip ok");
    }

    /** Reserves 8 MiB under a 1 MiB direct memory limit, then writes and reads a copy through it. */
    public static final class TightLimit {
        public static void main(String[] args) throws IOException {
            StateCopy copy = new StateCopy();
            copy.reserve(8 << 20);
            byte[] bytes = new byte[8 << 20];
            new SplittableRandom(3).nextBytes(bytes);
            copy.write(bytes, 0, bytes.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copy.writeTo(out);
            boolean same = java.util.Arrays.equals(out.toByteArray(), bytes);
            System.out.println("capacity " + copy.capacity() + " direct " + copy.directCapacity() + " requests "
                    + copy.directRequests() + " round trip " + (same ? "ok" : "differs"));
        }
    }

    private static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    /**
     * Fills of lent regions may run later and on a helper thread: once awaited, each region holds
     * its own bytes, in stream order.
     */
    @Test
    void regionsFilledLaterByTwoThreadsHoldTheirOwnBytesOnceAwaited() throws IOException {
        StateCopy copy = new StateCopy();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        java.util.Set<String> fillers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        copy.write(7); // regions start at an odd offset in a piece
        expected.write(7);
        for (int i = 0; i < 60; i++) {
            java.nio.ByteBuffer region = copy.claim();
            int length = Math.min(region.remaining(), 100_000 + i);
            byte[] bytes = new byte[length];
            new SplittableRandom(i).nextBytes(bytes);
            copy.commit(length);
            copy.fill(() -> {
                fillers.add(Thread.currentThread().getName());
                sleepAMillisecond(); // slower than handing over, as a 256 KiB copy is
                region.put(bytes);
            });
            expected.write(bytes);
            copy.write(i); // a byte written after the region, before its fill ran
            expected.write(i);
        }
        long deadline = System.nanoTime() + 10_000_000_000L; // the helper gets to work, however busy the machine
        while (!fillers.contains("veles-copy") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        copy.awaitFills();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(fillers).as("threads that filled").contains("veles-copy");
    }

    @Test
    void aFailedFillIsReportedOnceEveryOtherFillIsDone() {
        StateCopy copy = new StateCopy();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 20; i++) {
            int which = i;
            copy.claim();
            copy.commit(1);
            copy.fill(() -> {
                sleepAMillisecond();
                if (which == 3) {
                    throw new java.nio.BufferOverflowException();
                }
                done.incrementAndGet();
            });
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(copy::awaitFills)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("copying an array of the state failed")
                .hasCauseInstanceOf(java.nio.BufferOverflowException.class);
        assertThat(done).hasValue(19);
        copy.awaitFills(); // the failure was reported once; the next copy starts clean
    }

    /** An interrupted thread still waits for the fills (they write into memory it reuses) and stays interrupted. */
    @Test
    void anInterruptedWaitStillWaitsForEveryFill() throws InterruptedException {
        StateCopy copy = new StateCopy();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch helperStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        copy.claim();
        copy.commit(1);
        copy.fill(
                () -> { // taken by the helper: this thread runs fills only once it waits
                    helperStarted.countDown();
                    while (!release.get()) {
                        Thread.onSpinWait();
                    }
                    done.incrementAndGet();
                });
        assertThat(helperStarted.await(10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        for (int i = 0; i < 19; i++) {
            copy.claim();
            copy.commit(1);
            copy.fill(done::incrementAndGet);
        }
        Thread releaser = new Thread(() -> {
            sleepAMillisecond();
            for (int i = 0; i < 50; i++) {
                sleepAMillisecond();
            }
            release.set(true);
        });
        releaser.start();
        Thread.currentThread().interrupt();
        try {
            copy.awaitFills();
            assertThat(done).hasValue(20);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
            release.set(true);
            releaser.join();
        }
    }

    private static void sleepAMillisecond() {
        long until = System.nanoTime() + 1_000_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait(); // not sleep(): an interrupted thread must get through too
        }
    }
}
