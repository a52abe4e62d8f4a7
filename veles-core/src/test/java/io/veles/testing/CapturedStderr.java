package io.veles.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** What code prints to {@code System.err}, where the SLF4J simple logger writes our log lines. */
public final class CapturedStderr {
    /** Code that may throw, run with the error stream captured. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private CapturedStderr() {}

    /** Everything {@code action} printed to {@code System.err}; the stream is restored after, thrown or not. */
    public static String during(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString();
    }
}
