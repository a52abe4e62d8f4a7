package io.veles.bench.serialization;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deep graphs: for each configuration and ring size, the smallest thread stack (of 1, 8, 16 and
 * 64 MiB) on which the ring serializes, and the smallest on which it deserializes intact.
 * 1 MiB is what a thread gets by default on Linux x64.
 *
 * <p>Frames of compiled code are smaller than interpreted ones, so the answer depends on the JIT:
 * "warm" probes after a second of round trips on a small ring (a running engine taking a
 * snapshot); "fresh" probes in a new JVM with no warm-up (an engine resuming from a snapshot).
 */
final class StackProbe {
    static final int[] STACK_MIB = {1, 8, 16, 64};
    static final int[] UNITS = {10_000, 100_000};
    static final List<String> CODECS = List.of(Codec.JDK, Codec.KRYO, Codec.KRYO_FLAT, Codec.FORY, Codec.FORY_FLAT);
    private static final long WARM_UP_NANOS = 1_000_000_000L;

    /** writeMiB/readMiB: smallest working stack, or 0 if none of STACK_MIB worked. */
    record Result(String codec, int units, boolean warm, int writeMiB, int readMiB, String failure) {}

    static {
        // A class first initialized while the stack is nearly exhausted fails to initialize and
        // stays unusable in this JVM. Kryo's overflow handler builds its message in a StringBuffer.
        new StringBuffer(16).append('x');
    }

    private StackProbe() {}

    /** No arguments: print both probes. {@code fresh CODEC UNITS}: the child side of {@link #fresh}. */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("fresh")) {
            Result r = new Probe(args[1], false).measure(Integer.parseInt(args[2]));
            System.out.println(r.writeMiB() + " " + r.readMiB() + " " + r.failure());
            return;
        }
        List<Result> all = new ArrayList<>(warm());
        all.addAll(fresh());
        for (Result r : all) {
            System.out.printf(
                    "%-10s %,8d units %-5s write %-8s read %-8s %s%n",
                    r.codec(),
                    r.units(),
                    r.warm() ? "warm" : "fresh",
                    mib(r.writeMiB()),
                    mib(r.readMiB()),
                    r.failure());
        }
    }

    static String mib(int mib) {
        return mib == 0 ? "> " + STACK_MIB[STACK_MIB.length - 1] + " MiB" : mib + " MiB";
    }

    /** In this JVM, warmed up. Ordered by ring size, then configuration. */
    static List<Result> warm() {
        List<Result> results = new ArrayList<>();
        for (String name : CODECS) {
            Probe probe = new Probe(name, true);
            for (int units : UNITS) {
                results.add(probe.measure(units));
            }
        }
        results.sort(Comparator.comparingInt(Result::units));
        return results;
    }

    /** One new JVM per configuration and size, no warm-up. */
    static List<Result> fresh() throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        for (int units : UNITS) {
            for (String name : CODECS) {
                ChildJvm.Outcome outcome =
                        ChildJvm.run(List.of("-Xmx2g"), StackProbe.class, "fresh", name, Integer.toString(units));
                String[] last = outcome.output()
                        .strip()
                        .lines()
                        .reduce((a, b) -> b)
                        .orElse("")
                        .split(" ", 3);
                if (outcome.exit() != 0 || last.length < 2) {
                    results.add(new Result(name, units, false, 0, 0, "probe failed (exit " + outcome.exit() + ")"));
                } else {
                    results.add(new Result(
                            name,
                            units,
                            false,
                            Integer.parseInt(last[0]),
                            Integer.parseInt(last[1]),
                            last.length > 2 ? last[2] : ""));
                }
            }
        }
        return results;
    }

    /** One configuration; replaced by a new instance (warmed up again, if warm) after any failure. */
    private static final class Probe {
        private final String name;
        private final boolean warm;
        private Codec codec;

        Probe(String name, boolean warm) {
            this.name = name;
            this.warm = warm;
            renew();
        }

        /** An overflow also deoptimizes the code it unwinds through, hence a new warm-up every time. */
        private void renew() {
            codec = Codec.named(name);
            if (!warm) {
                return;
            }
            Workflow small = Graphs.ring(1_000);
            onStack(64, () -> {
                long end = System.nanoTime() + WARM_UP_NANOS;
                do {
                    int n = codec.write(small);
                    codec.read(Arrays.copyOf(codec.bytes(), n), n);
                } while (System.nanoTime() < end);
                return null;
            });
        }

        Result measure(int units) {
            Workflow ring = Graphs.ring(units);
            byte[] bytes = null;
            int writeMiB = 0;
            for (int mib : STACK_MIB) {
                try {
                    bytes = onStack(mib, () -> {
                        int n = codec.write(ring); // before bytes(): writing may replace the buffer
                        return Arrays.copyOf(codec.bytes(), n);
                    });
                    writeMiB = mib;
                    break;
                } catch (StackOverflowError e) {
                    renew();
                } catch (RuntimeException e) {
                    renew();
                    return new Result(name, units, warm, 0, 0, "write failed: " + brief(e));
                }
            }
            if (bytes == null) {
                return new Result(name, units, warm, 0, 0, "read not tried");
            }
            byte[] written = bytes;
            for (int mib : STACK_MIB) {
                try {
                    onStack(mib, () -> {
                        Graphs.checkRing(codec.read(written, written.length), units);
                        return null;
                    });
                    return new Result(name, units, warm, writeMiB, mib, "");
                } catch (StackOverflowError e) {
                    renew();
                } catch (RuntimeException | AssertionError e) {
                    renew();
                    return new Result(name, units, warm, writeMiB, 0, "read failed: " + brief(e));
                }
            }
            return new Result(name, units, warm, writeMiB, 0, "");
        }
    }

    /** Library messages can list every object read so far; the first line is enough here. */
    private static String brief(Throwable e) {
        String text = e.toString().lines().findFirst().orElse("");
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }

    interface Task<T> {
        T call();
    }

    /**
     * Runs task on a new thread with the given stack size. A StackOverflowError anywhere in the
     * cause chain (libraries wrap it) is rethrown as itself; other failures as they came.
     */
    static <T> T onStack(int mib, Task<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                null,
                () -> {
                    try {
                        result.set(task.call());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "stack-probe-" + mib + "m",
                (long) mib << 20);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Throwable t = failure.get();
        if (t == null) {
            return result.get();
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StackOverflowError) {
                throw (StackOverflowError) c;
            }
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException(t);
    }
}
