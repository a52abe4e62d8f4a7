package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Bytes the test's thread allocates while a parallel reader reads: how tests see buffers reused. */
final class ThreadAllocations {
    /** Makes a parallel reader of the given input. */
    @FunctionalInterface
    interface Reader {
        InputStream over(InputStream input) throws IOException;
    }

    private ThreadAllocations() {}

    private static com.sun.management.ThreadMXBean threads() {
        return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    /** Skips the test where the JVM does not count what a thread allocates. */
    static void assumeCounted() {
        assumeTrue(
                threads().isThreadAllocatedMemorySupported() && threads().isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
    }

    /** Bytes this thread allocated so far. */
    static long ofThisThread() {
        return threads().getCurrentThreadAllocatedBytes();
    }

    /**
     * Bytes this thread allocates reading {@code count} copies of {@code part}, one after another,
     * through {@code reader}; each copy must give {@code decodedBytes}.
     */
    static long reading(Reader reader, byte[] part, int count, int decodedBytes) throws IOException {
        List<InputStream> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            parts.add(new ByteArrayInputStream(part));
        }
        byte[] sink = new byte[1 << 16];
        long read = 0;
        long before = threads().getCurrentThreadAllocatedBytes();
        try (InputStream in = reader.over(new SequenceInputStream(Collections.enumeration(parts)))) {
            for (int n; (n = in.read(sink)) > 0; ) {
                read += n;
            }
        }
        long allocated = threads().getCurrentThreadAllocatedBytes() - before;
        assertThat(read).isEqualTo((long) count * decodedBytes);
        return allocated;
    }
}
