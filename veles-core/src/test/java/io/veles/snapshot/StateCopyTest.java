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
}
