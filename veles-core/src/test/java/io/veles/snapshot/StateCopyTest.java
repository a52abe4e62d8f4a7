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
    void theCopyIsHeldOutsideTheHeapWhereTheCollectorDoesNotMoveIt() {
        long before = directMemoryUsed();
        StateCopy copy = new StateCopy();
        copy.reserve(64L << 20);
        assertThat(copy.capacity()).isGreaterThanOrEqualTo(64L << 20);
        assertThat(directMemoryUsed() - before)
                .as("direct memory the copy's reservation took")
                .isGreaterThanOrEqualTo(64L << 20);
    }

    @Test
    void underATightDirectMemoryLimitTheCopyFallsBackToTheHeap() throws Exception {
        long started = System.nanoTime();
        List<String> output = FreshJvm.run(List.of("-XX:MaxDirectMemorySize=1m"), null, TightLimit.class);
        // at most the 1 MiB limit outside the heap, the other 7 MiB in it
        assertThat(output).contains("capacity 8388608 direct 1048576 round trip ok");
        // Each refused direct allocation costs the JVM a collection and half a second of retries.
        assertThat((System.nanoTime() - started) / 1e9)
                .as("seconds to reserve 8 MiB")
                .isLessThan(8.0);
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
            System.out.println("capacity " + copy.capacity() + " direct " + copy.directCapacity() + " round trip "
                    + (same ? "ok" : "differs"));
        }
    }

    private static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }
}
