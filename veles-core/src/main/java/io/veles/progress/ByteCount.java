package io.veles.progress;

/**
 * The bytes a tracked stream has moved, passed on to its progress task every {@value #STEP}
 * bytes or so: per read or write, an add and a compare.
 */
final class ByteCount {
    static final int STEP = 256 << 10;
    private final ProgressReporter.Task task;
    private long count;
    private long reported;

    ByteCount(ProgressReporter.Task task) {
        this.task = task;
    }

    void add(long n) {
        count += n;
        if (count - reported >= STEP) {
            reported = count;
            task.advanceTo(count);
        }
    }

    /** Reports the final count and ends the task. */
    void finish() {
        task.advanceTo(count);
        task.close();
    }
}
