package io.veles.launcher;

/**
 * A run started by {@link RunBuilder#start()}, going on in its own thread: {@link #stop()} asks
 * it to stop with a final snapshot, {@link #await()} waits for its outcome.
 */
public final class RunHandle {
    private final Launcher launcher;
    private final Thread thread;
    private Launcher.Outcome outcome;
    private Throwable failure;

    private RunHandle(Launcher launcher, String threadName) {
        this.launcher = launcher;
        this.thread = new Thread(this::runToTheEnd, threadName);
    }

    static RunHandle start(Launcher launcher, String threadName) {
        RunHandle handle = new RunHandle(launcher, threadName);
        handle.thread.start();
        return handle;
    }

    private void runToTheEnd() {
        try {
            outcome = launcher.run();
        } catch (Throwable e) { // handed to await(), whatever it is
            failure = e;
        }
    }

    /** The run's id, as its snapshots and result file record it. */
    public String id() {
        return launcher.id();
    }

    /**
     * Asks the run to stop at the next unit boundary; it then takes a final snapshot if any unit
     * ran since its last one, and ends. Safe from any thread, a shutdown hook included.
     */
    public void stop() {
        launcher.requestStop();
    }

    /** Whether the run has ended, finished or stopped or failed. */
    public boolean isDone() {
        return !thread.isAlive();
    }

    /**
     * Waits for the run to end and returns how it went; a run that failed throws its exception
     * here (a {@link io.veles.errors.SnapshotException} or {@link LaunchException} with a
     * one-line message, for example).
     */
    public Launcher.Outcome await() throws InterruptedException {
        thread.join(); // the thread's writes are visible after it
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new LaunchException("the run failed: " + failure, failure);
        }
        return outcome;
    }
}
