package io.veles.snapshot.codec;

/**
 * How many threads a compressing stream may keep busy, a number that may be raised while it runs.
 * A background snapshot starts with fewer threads than cores, leaving a core to the run it is
 * taken from, and is given every core once the run waits for it: at the next snapshot or at the
 * end. The number never goes down, and the file is the same whatever it was.
 */
public final class CompressionThreads {
    private final int most;
    private volatile int allowed;

    private CompressionThreads(int allowed, int most) {
        this.most = Math.max(1, most);
        this.allowed = Math.max(1, Math.min(allowed, this.most));
    }

    /** Always {@code threads} threads. */
    public static CompressionThreads fixed(int threads) {
        return new CompressionThreads(threads, threads);
    }

    /** {@code allowed} threads until {@link #useAll()} raises them to {@code most}. */
    public static CompressionThreads startingAt(int allowed, int most) {
        return new CompressionThreads(allowed, most);
    }

    /** The threads the stream may ever use: its pool's size, and what decides its block layout. */
    public int most() {
        return most;
    }

    /** The threads it may keep busy now. */
    public int allowed() {
        return allowed;
    }

    /** From now on, every thread may work: someone is waiting for the stream to finish. */
    public void useAll() {
        allowed = most;
    }

    @Override
    public String toString() {
        return allowed + " of " + most + " compression threads";
    }
}
