package io.veles.internal.util;

/**
 * Waits that must end however often the waiting thread is interrupted: a cleanup that gave up
 * would leave a thread, a write or memory behind. The interrupt is kept for the caller.
 */
public final class Uninterruptibly {
    /** A wait that may be interrupted; run again from the start when it was. */
    @FunctionalInterface
    public interface Wait {
        void run() throws InterruptedException;
    }

    private Uninterruptibly() {}

    /**
     * Runs {@code wait} until it ends without an interrupt, then interrupts the thread again if it
     * was interrupted meanwhile. Each InterruptedException clears the flag, so the next try waits.
     * Only for waits that are safe to repeat: a get, a join, a put that threw before it put.
     */
    public static void run(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
