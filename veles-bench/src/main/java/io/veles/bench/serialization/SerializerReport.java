package io.veles.bench.serialization;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What bench/serializers prints: runs both JMH benchmarks, the stack probe and the heap probe,
 * then one table. Usage: {@code SerializerReport OUT_DIR [JMH options, e.g. -f 1 -wi 3 -i 5]}.
 * JMH's own output (with its error columns) and JSON results go to OUT_DIR.
 */
public final class SerializerReport {
    private static final double MB = 1e6;
    private static final double MIB = 1 << 20;

    private final List<String[]> rows = new ArrayList<>();

    private SerializerReport() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        CommandLineOptions jmh = new CommandLineOptions(Arrays.copyOfRange(args, 1, args.length));
        SerializerReport report = new SerializerReport();
        try (PrintStream log =
                new PrintStream(new FileOutputStream(out.resolve("jmh.log").toFile()), true)) {
            progress("W2 small units (JMH)");
            report.smallUnits(run(jmh, log, SmallUnitsBenchmark.class, out.resolve("small-units.json"), false));
            progress("big arrays (JMH, -prof gc)");
            List<String[]> bigRows =
                    report.bigArrays(run(jmh, log, BigArraysBenchmark.class, out.resolve("big-arrays.json"), true));
            progress("deep graphs (stack probe: warm, then a fresh JVM per case)");
            report.deepGraphs(StackProbe.warm());
            report.deepGraphs(StackProbe.fresh());
            progress("big arrays (heap probe, -Xmx" + HeapProbe.HEAP_MIB + "m children)");
            report.heap(bigRows, out);
        }
        report.print(System.out);
    }

    private static void progress(String step) {
        System.err.println("[serializers] " + step + " ...");
    }

    private static Collection<RunResult> run(
            CommandLineOptions cli, PrintStream log, Class<?> benchmark, Path json, boolean gc) throws Exception {
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        options.include(benchmark.getName() + "\\.")
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        if (gc) {
            options.addProfiler(GCProfiler.class);
        }
        Options built = options.build();
        return new Runner(built, OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL)).run();
    }

    private void smallUnits(Collection<RunResult> results) {
        Map<String, String> notes = Map.of(
                Codec.JDK, "ObjectInputFilter allowlist",
                Codec.KRYO, "refs on, class names + allowlist",
                Codec.KRYO_REGISTERED, "kryo + 5 classes registered",
                Codec.KRYO_FLAT, "kryo + unit links as indices (FlatUnits)",
                Codec.KRYO_TUNED, "kryo-registered + kryo-flat",
                Codec.KRYO_HAND_WRITTEN, "kryo-tuned + hand-written Unit serializer",
                Codec.FORY, "refs on, class names + TypeChecker",
                Codec.FORY_FLAT, "fory + unit links as indices, bodies not JIT-compiled");
        for (String codec : params(results)) {
            Result<?> write = primary(results, "serialize", codec);
            Result<?> read = primary(results, "deserialize", codec);
            // Recursive configurations need a deep stack for 10k units, as in the benchmark's forks.
            int size = StackProbe.onStack(64, () -> Codec.named(codec).write(Graphs.ring(SmallUnitsBenchmark.UNITS)));
            rows.add(new String[] {
                "W2 small units, 10k ring",
                codec,
                ms(write),
                ms(read),
                "ms/graph",
                String.format(Locale.ROOT, "%,d B; %s", size, notes.get(codec))
            });
        }
    }

    private List<String[]> bigArrays(Collection<RunResult> results) {
        List<String[]> big = new ArrayList<>();
        for (String codec : params(results)) {
            RunResult write = find(results, "serialize", codec);
            RunResult read = find(results, "deserialize", codec);
            String[] row = {
                "big arrays, 20 x float[], 256 MiB",
                codec,
                mbPerSecond(write),
                mbPerSecond(read),
                "MB/s",
                String.format(
                        Locale.ROOT,
                        "alloc/op beyond payload: w %s, r %s",
                        allocMib(write, 0),
                        allocMib(read, Graphs.ARRAY_PAYLOAD_BYTES))
            };
            rows.add(row);
            big.add(row);
        }
        return big;
    }

    private void deepGraphs(List<StackProbe.Result> results) {
        for (StackProbe.Result r : results) {
            rows.add(new String[] {
                String.format(Locale.ROOT, "deep ring, %,d units, %s", r.units(), r.warm() ? "warm JIT" : "fresh JVM"),
                r.codec(),
                StackProbe.mib(r.writeMiB()),
                StackProbe.mib(r.readMiB()),
                "min stack",
                r.failure().isEmpty() ? "tried 1, 8, 16, 64 MiB" : r.failure()
            });
        }
    }

    private void heap(List<String[]> bigRows, Path dir) throws Exception {
        List<Layer> layers = Graphs.layers();
        long fingerprint = Graphs.fingerprint(layers);
        for (String[] row : bigRows) {
            String[] fits = HeapProbe.check(row[1], layers, fingerprint, dir);
            row[5] += String.format(Locale.ROOT, "; -Xmx%dm: w %s, r %s", HeapProbe.HEAP_MIB, fits[0], fits[1]);
        }
    }

    private static List<String> params(Collection<RunResult> results) {
        return results.stream()
                .map(r -> r.getParams().getParam("codec"))
                .distinct()
                .toList();
    }

    private static RunResult find(Collection<RunResult> results, String method, String codec) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .filter(r -> codec.equals(r.getParams().getParam("codec")))
                .findFirst()
                .orElse(null);
    }

    private static Result<?> primary(Collection<RunResult> results, String method, String codec) {
        RunResult r = find(results, method, codec);
        return r == null ? null : r.getPrimaryResult();
    }

    private static String ms(Result<?> r) {
        if (r == null) {
            return "failed";
        }
        return String.format(Locale.ROOT, "%.2f ± %s", r.getScore(), error(r.getScoreError(), "%.2f"));
    }

    /** Scores are ms per snapshot; MB/s of float payload, its error scaled by the same ratio. */
    private static String mbPerSecond(RunResult run) {
        if (run == null) {
            return "failed";
        }
        Result<?> r = run.getPrimaryResult();
        double rate = Graphs.ARRAY_PAYLOAD_BYTES / MB / (r.getScore() / 1e3);
        return String.format(Locale.ROOT, "%.0f ± %s", rate, error(rate * r.getScoreError() / r.getScore(), "%.0f"));
    }

    private static String error(double error, String format) {
        return Double.isNaN(error) ? "?" : String.format(Locale.ROOT, format, error);
    }

    private static String allocMib(RunResult run, long payload) {
        if (run == null) {
            return "?";
        }
        for (String key : run.getSecondaryResults().keySet()) {
            if (key.endsWith("gc.alloc.rate.norm")) {
                Result<?> bytesPerOp = run.getSecondaryResults().get(key);
                return String.format(Locale.ROOT, "%.1f MiB", (bytesPerOp.getScore() - payload) / MIB);
            }
        }
        return "?";
    }

    private void print(PrintStream out) {
        String[] header = {"workload", "library/config", "serialize", "deserialize", "unit", "notes"};
        int[] width = new int[header.length];
        for (String[] row : concat(header)) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        String previous = null;
        for (String[] row : concat(header)) {
            if (previous != null && !row[0].equals(previous)) {
                out.println(rule(width));
            }
            previous = row[0];
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "| " : " | ").append(pad(row[i], width[i]));
            }
            out.println(line.append(" |"));
        }
        out.println();
        out.println("ms/graph and MB/s: JMH average ± 99.9% error. MB = 10^6 bytes of float payload.");
        out.println("min stack: smallest of 1/8/16/64 MiB thread stacks that wrote / read the ring intact;");
        out.println("  warm JIT = after 1 s of round trips on a 1,000-unit ring; fresh JVM = first use in a new JVM.");
        out.printf(
                Locale.ROOT,
                "Fory: maxDepth=%d (flat: default 50), maxGraphMemoryBytes=Runtime.maxMemory() (the heap).%n",
                ForyCodec.MAX_DEPTH_RECURSIVE);
        out.println("-Xmx" + HeapProbe.HEAP_MIB + "m = 256 MiB payload + " + HeapProbe.MARGIN_MIB
                + " MiB: one write to a discarding stream / one read from a file, in a child JVM.");
    }

    private List<String[]> concat(String[] header) {
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static String rule(int[] width) {
        StringBuilder line = new StringBuilder();
        for (int w : width) {
            line.append("|-").append("-".repeat(w)).append('-');
        }
        return line.append('|').toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
