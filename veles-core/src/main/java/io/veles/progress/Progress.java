package io.veles.progress;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * The process-wide progress reporter, and streams that report through it. By default a progress
 * bar on a terminal and periodic log lines otherwise, both only for work that lasts; the command
 * line switches it off under {@code --quiet}.
 */
public final class Progress {
    private static volatile ProgressReporter reporter = automatic();

    private Progress() {}

    /** The reporter the engine uses now. */
    public static ProgressReporter reporter() {
        return reporter;
    }

    /** Makes {@code newReporter} the one the engine uses, e.g. {@link ProgressReporter#NONE}. */
    public static void use(ProgressReporter newReporter) {
        reporter = Objects.requireNonNull(newReporter, "reporter");
    }

    /** A bar on stderr when the process runs on a terminal; log lines when it does not. */
    public static ProgressReporter automatic() {
        String term = System.getenv("TERM");
        boolean terminal = System.console() != null
                && term != null
                && !term.toLowerCase(Locale.ROOT).equals("dumb");
        return terminal ? ProgressBars.terminal() : ProgressBars.logLines();
    }

    /** {@code in}, reporting the bytes read from it as {@code what}; closing it ends the report. */
    public static InputStream track(InputStream in, String what, long totalBytes) {
        return new TrackedInputStream(in, reporter.start(what, totalBytes));
    }

    /**
     * As {@link #track(OutputStream, String, long)}, for work on a background thread: log lines
     * rather than a bar, which would tangle with what the foreground prints meanwhile.
     */
    public static OutputStream trackInBackground(OutputStream out, String what, long totalBytes) {
        ProgressReporter current = reporter;
        if (current instanceof ProgressBars && ((ProgressBars) current).drawsOnTerminal()) {
            current = ProgressBars.logLines();
        }
        return new TrackedOutputStream(out, current.start(what, totalBytes));
    }

    /** {@code out}, reporting the bytes written to it as {@code what}; closing it ends the report. */
    public static OutputStream track(OutputStream out, String what, long totalBytes) {
        return new TrackedOutputStream(out, reporter.start(what, totalBytes));
    }
}
