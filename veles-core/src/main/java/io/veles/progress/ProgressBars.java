package io.veles.progress;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress drawn by the progressbar library: bytes done, percentage, rate and time left. Nothing
 * is shown until the work has lasted {@code delay} and moved {@value #MIN_BYTES} bytes, so the
 * many short snapshots of a run and small files stay silent (a 6 KiB file would show as
 * {@code 0/0 MiB}); the system properties {@code veles.progress.delay_ms} and
 * {@code veles.progress.interval_ms} override the timings.
 */
public final class ProgressBars implements ProgressReporter {
    private static final Logger LOG = LoggerFactory.getLogger("progress");
    private static final long MIB = 1 << 20;
    /** Work on fewer bytes than this shows no progress: its counts would read 0 MiB. */
    static final long MIN_BYTES = MIB;

    private static final int LOG_LINE_LENGTH = 110;
    private static final int DEFAULT_COLUMNS = 80;

    private final boolean terminal;
    private final Duration delay;
    private final Duration interval;

    private ProgressBars(boolean terminal, Duration delay, Duration interval) {
        this.terminal = terminal;
        this.delay = delay;
        this.interval = interval;
    }

    /** A bar redrawn in place on stderr four times a second, for work that lasts over a second. */
    public static ProgressBars terminal() {
        return new ProgressBars(
                true, millis("veles.progress.delay_ms", 1000), millis("veles.progress.interval_ms", 250));
    }

    /** An info log line every five seconds, for work that lasts over five seconds. */
    public static ProgressBars logLines() {
        return new ProgressBars(
                false, millis("veles.progress.delay_ms", 5000), millis("veles.progress.interval_ms", 5000));
    }

    @Override
    public Task start(String what, long totalBytes) {
        if (totalBytes >= 0 && totalBytes < MIN_BYTES) {
            return Task.NONE;
        }
        AfterDelay consumer = new AfterDelay();
        // Built at once so that the rate and the time left count from the true start.
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(what)
                .setInitialMax(totalBytes >= 0 ? totalBytes : -1)
                .setUnit(" MiB", MIB)
                .showSpeed(new RateFormat())
                .setStyle(terminal ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis((int) Math.max(1, interval.toMillis()))
                .setConsumer(consumer)
                .build();
        return new Task() {
            @Override
            public void advanceTo(long bytesDone) {
                consumer.bytesDone = bytesDone;
                bar.stepTo(bytesDone);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    /** Whether this draws a bar in place, which only the thread that owns the terminal should do. */
    public boolean drawsOnTerminal() {
        return terminal;
    }

    /**
     * The terminal's width as the shell tells it ({@code COLUMNS}), else 80. Asking the terminal
     * itself would open a JLine terminal, which resets SIGINT to its default while the bar shows:
     * Ctrl-C would then kill the run instead of stopping it at a unit boundary.
     */
    private static int columns() {
        try {
            int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
            return columns >= 20 ? columns - 1 : DEFAULT_COLUMNS - 1;
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS - 1;
        }
    }

    private static Duration millis(String property, long fallback) {
        return Duration.ofMillis(Long.getLong(property, fallback));
    }

    /**
     * One decimal, as "12.5 MiB/s"; more for a rate under 0.1, which one decimal would show as a
     * stalled "0.0 MiB/s".
     */
    static final class RateFormat extends DecimalFormat {
        private final DecimalFormat small = new DecimalFormat("0.0####", DecimalFormatSymbols.getInstance(Locale.ROOT));

        RateFormat() {
            super("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        }

        @Override
        public StringBuffer format(double number, StringBuffer result, java.text.FieldPosition position) {
            return number > 0 && number < 0.095
                    ? small.format(number, result, position)
                    : super.format(number, result, position);
        }
    }

    /**
     * Passes renderings on once the work has lasted {@code delay} and moved {@link #MIN_BYTES},
     * skipping a log line that repeats the last one. The real consumer is created on first use: a
     * terminal's costs a moment to set up.
     */
    private final class AfterDelay implements ProgressBarConsumer {
        private final long startNanos = System.nanoTime();
        /** Set by the working thread, read by the library's rendering thread. */
        volatile long bytesDone;

        private ProgressBarConsumer target;
        private String last;

        @Override
        public int getMaxRenderedLength() {
            return target != null ? target.getMaxRenderedLength() : LOG_LINE_LENGTH;
        }

        @Override
        public void accept(String rendered) {
            if (target == null) {
                if (bytesDone < MIN_BYTES || System.nanoTime() - startNanos < delay.toNanos()) {
                    return;
                }
                target = terminal
                        ? new ConsoleProgressBarConsumer(System.err, columns())
                        : new DelegatingProgressBarConsumer(LOG::info, LOG_LINE_LENGTH);
            }
            if (terminal || !rendered.equals(last)) {
                target.accept(rendered);
            }
            last = rendered;
        }

        @Override
        public void close() {
            if (target != null) {
                target.close();
            }
        }
    }
}
