package io.veles.bench.snapshot;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * bench/stages' table: where the time of one W1 snapshot and one restore goes, per codec, from the
 * JFR recordings of {@link SnapshotBench} runs (one {@code .jfr} per run, made with
 * {@code bench/stages.jfc}). Only events inside the run's {@link Measured} window count.
 *
 * <p>Each execution or native-method sample is put in a stage by its frames, from the leaf down:
 * the first frame that a rule names decides (so {@code CRC32C.update} under {@code GraphWriter} is
 * checksum, not serialize). A Java sample stands for one sampling period of that thread. JFR samples
 * only one thread in native code per period, in turn: a native sample stands for as many periods
 * as there were threads in native code around it. Time in native code includes waiting in system
 * calls (a read from disk, fsync): it is thread time, not CPU time. Time in the VM itself (GC,
 * zeroing new arrays, page faults on untouched heap) is in no sample; the fresh-heap column
 * measures that last one as the wall-clock of the same run without {@code -XX:+AlwaysPreTouch}.
 *
 * <pre>StageBreakdown DIR   # every *.jfr in DIR; prints a Markdown table</pre>
 */
public final class StageBreakdown {
    /** The sampling periods of bench/stages.jfc. */
    static final double JAVA_PERIOD = 0.010;

    static final double NATIVE_PERIOD = 0.002;

    enum Stage {
        SERIALIZE("serialize"),
        SHUFFLE("shuffle"),
        CHECKSUM("checksum"),
        COPY("copy"),
        CODEC("(de)compress"),
        IO("write/read"),
        FSYNC("fsync"),
        OTHER("other");

        final String label;

        Stage(String label) {
            this.label = label;
        }
    }

    /** Frame prefixes ({@code class} or {@code class.method}), tried in this order on each frame. */
    private static final List<Map.Entry<String, Stage>> RULES = List.of(
            Map.entry("sun.nio.ch.FileDispatcherImpl.force", Stage.FSYNC),
            Map.entry("sun.nio.ch.FileChannelImpl.force", Stage.FSYNC),
            Map.entry("java.io.FileDescriptor.sync", Stage.FSYNC),
            Map.entry("sun.nio.ch.FileDispatcherImpl", Stage.IO),
            Map.entry("sun.nio.ch.FileChannelImpl", Stage.IO),
            Map.entry("sun.nio.ch.IOUtil", Stage.IO),
            Map.entry("sun.nio.ch.ChannelInputStream", Stage.IO),
            Map.entry("java.io.FileInputStream", Stage.IO),
            Map.entry("java.io.FileOutputStream", Stage.IO),
            Map.entry("io.veles.internal.store.PageCacheHints", Stage.IO), // waits for writeback
            Map.entry("java.util.zip.CRC32C", Stage.CHECKSUM), // before CRC32, gzip's own check
            Map.entry("io.veles.snapshot.file.CrcOutputStream", Stage.CHECKSUM),
            Map.entry("io.veles.snapshot.file.CrcInputStream", Stage.CHECKSUM),
            Map.entry("io.veles.internal.pickle.ByteShuffle", Stage.SHUFFLE),
            Map.entry("io.veles.internal.pickle.DeferredShuffle", Stage.SHUFFLE),
            Map.entry("java.util.Arrays.copyOf", Stage.COPY),
            Map.entry("io.veles.snapshot.codec.ParallelBlockOutputStream", Stage.COPY),
            Map.entry("java.io.ByteArrayOutputStream", Stage.COPY),
            Map.entry("java.io.ByteArrayInputStream", Stage.COPY),
            Map.entry("java.io.BufferedOutputStream", Stage.COPY),
            Map.entry("java.io.BufferedInputStream", Stage.COPY),
            Map.entry("java.util.zip.", Stage.CODEC), // Deflater, Inflater, GZIP streams, CRC32
            Map.entry("io.veles.snapshot.codec.", Stage.CODEC),
            Map.entry("org.apache.commons.compress.", Stage.CODEC),
            Map.entry("org.tukaani.xz.", Stage.CODEC),
            Map.entry("com.github.luben.zstd.", Stage.CODEC),
            Map.entry("net.jpountz.", Stage.CODEC),
            Map.entry("org.xerial.snappy.", Stage.CODEC),
            Map.entry("com.esotericsoftware.", Stage.SERIALIZE),
            Map.entry("io.veles.internal.pickle.", Stage.SERIALIZE),
            Map.entry("io.veles.snapshot.file.", Stage.SERIALIZE),
            Map.entry("java.io.DataOutputStream", Stage.SERIALIZE),
            Map.entry("java.io.DataInputStream", Stage.SERIALIZE));

    private static final List<String> CODECS = List.of("none", "gz", "bz2", "xz", "zst", "lz4", "snappy");

    /** One recorded run: its window's stage times (thread seconds) and the wall-clock figures. */
    record Run(
            String operation,
            String codec,
            boolean preTouched,
            long stateBytes,
            double wallSeconds,
            Map<Stage, Double> stageSeconds,
            double mainSeconds,
            double otherThreadSeconds,
            double fsyncSeconds,
            double fileIoSeconds,
            double gcPauseSeconds) {
        double threadSeconds() {
            return mainSeconds + otherThreadSeconds;
        }
    }

    private record Sample(Instant time, long thread, String threadName, List<RecordedFrame> frames) {}

    private StageBreakdown() {}

    public static void main(String[] args) throws IOException {
        List<Run> runs = new ArrayList<>();
        Map<String, Double> unclassified = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".jfr")).sorted().toList()) {
                Run run = read(file, unclassified);
                if (run == null) {
                    System.err.println(file + ": no measured operation (the run failed?), left out");
                } else {
                    runs.add(run);
                }
            }
        }
        System.out.print(table(runs));
        System.out.println();
        System.out.println("Most sampled frames in no stage (thread s, pre-touched runs): "
                + unclassified.entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                        .limit(6)
                        .map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
                        .toList());
    }

    /** The run recorded in {@code file}; null if it has no measured window (it failed before the end). */
    static Run read(Path file, Map<String, Double> unclassified) throws IOException {
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        RecordedEvent measured = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.veles.bench.Measured"))
                .findFirst()
                .orElse(null);
        if (measured == null) {
            return null;
        }
        Instant from = measured.getStartTime();
        Instant to = measured.getEndTime();
        List<Sample> javaSamples = new ArrayList<>();
        List<Sample> nativeSamples = new ArrayList<>();
        double fsync = 0;
        double fileIo = 0;
        double gc = 0;
        for (RecordedEvent event : events) {
            if (event.getStartTime().isBefore(from) || event.getEndTime().isAfter(to)) {
                continue;
            }
            switch (event.getEventType().getName()) {
                case "jdk.ExecutionSample" -> javaSamples.add(sample(event));
                case "jdk.NativeMethodSample" -> nativeSamples.add(sample(event));
                case "jdk.FileForce" -> fsync += seconds(event.getDuration());
                case "jdk.FileRead", "jdk.FileWrite" -> fileIo += seconds(event.getDuration());
                case "jdk.GarbageCollection" -> gc += seconds(event.getDuration("sumOfPauses"));
                default -> {}
            }
        }
        Map<Stage, Double> stages = new EnumMap<>(Stage.class);
        double[] byThread = new double[2]; // main, the others
        boolean preTouched = measured.getBoolean("preTouched");
        for (Sample sample : javaSamples) {
            add(sample, JAVA_PERIOD, stages, byThread, preTouched ? unclassified : null);
        }
        nativeSamples.sort(Comparator.comparing(Sample::time));
        for (int i = 0; i < nativeSamples.size(); i++) {
            add(
                    nativeSamples.get(i),
                    NATIVE_PERIOD * threadsInNative(nativeSamples, i),
                    stages,
                    byThread,
                    preTouched ? unclassified : null);
        }
        return new Run(
                measured.getString("operation"),
                measured.getString("codec"),
                preTouched,
                measured.getLong("stateBytes"),
                seconds(measured.getDuration()),
                stages,
                byThread[0],
                byThread[1],
                fsync,
                fileIo,
                gc);
    }

    private static Sample sample(RecordedEvent event) {
        RecordedThread thread = event.getThread("sampledThread");
        List<RecordedFrame> frames = event.getStackTrace() == null
                ? List.of()
                : event.getStackTrace().getFrames();
        return new Sample(event.getStartTime(), thread.getJavaThreadId(), thread.getJavaName(), frames);
    }

    /**
     * The threads in native code around native sample {@code i}: those sampled within four
     * periods of it. JFR visits them in turn, one per period, so each is seen about every
     * (their number) periods.
     */
    private static int threadsInNative(List<Sample> samples, int i) {
        Instant time = samples.get(i).time();
        Duration reach = Duration.ofNanos((long) (4 * NATIVE_PERIOD * 1e9));
        Set<Long> threads = new HashSet<>();
        for (int j = i; j >= 0 && !samples.get(j).time().isBefore(time.minus(reach)); j--) {
            threads.add(samples.get(j).thread());
        }
        for (int j = i; j < samples.size() && !samples.get(j).time().isAfter(time.plus(reach)); j++) {
            threads.add(samples.get(j).thread());
        }
        return threads.size();
    }

    private static void add(
            Sample sample,
            double weight,
            Map<Stage, Double> stages,
            double[] byThread,
            Map<String, Double> unclassified) {
        Stage stage = stageOf(sample.frames());
        stages.merge(stage, weight, Double::sum);
        byThread["main".equals(sample.threadName()) ? 0 : 1] += weight;
        if (stage == Stage.OTHER && unclassified != null && !sample.frames().isEmpty()) {
            RecordedFrame leaf = sample.frames().get(0);
            unclassified.merge(
                    leaf.getMethod().getType().getName() + "."
                            + leaf.getMethod().getName(),
                    weight,
                    Double::sum);
        }
    }

    static Stage stageOf(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String method = frame.getMethod().getType().getName() + "."
                    + frame.getMethod().getName();
            for (Map.Entry<String, Stage> rule : RULES) {
                if (method.startsWith(rule.getKey())) {
                    return rule.getValue();
                }
            }
        }
        return Stage.OTHER;
    }

    /** The Markdown table: one row per codec and operation, from its pre-touched run; the fresh run's extra wall-clock. */
    static String table(List<Run> runs) {
        StringBuilder out = new StringBuilder();
        out.append("| codec | operation | wall s | MB/s | thread s (main + others) |");
        for (Stage stage : Stage.values()) {
            out.append(' ').append(stage.label).append(" |");
        }
        out.append(" fsync s (FileForce) | file I/O s (FileRead/Write) | GC pauses s | untouched heap +s |\n|---|---|");
        out.append("---:|".repeat(Stage.values().length + 7)).append('\n');
        for (String codec : CODECS) {
            for (String operation : List.of("snapshot", "restore")) {
                Run run = find(runs, codec, operation, true);
                if (run == null) {
                    continue;
                }
                Run fresh = find(runs, codec, operation, false);
                out.append(String.format(
                        "| %s | %s | %.2f | %.0f | %.2f (%.2f + %.2f) |",
                        codec,
                        operation,
                        run.wallSeconds(),
                        run.stateBytes() / run.wallSeconds() / 1e6,
                        run.threadSeconds(),
                        run.mainSeconds(),
                        run.otherThreadSeconds()));
                for (Stage stage : Stage.values()) {
                    double share = run.stageSeconds().getOrDefault(stage, 0.0) / run.threadSeconds();
                    out.append(String.format(" %.0f%% |", 100 * share));
                }
                out.append(String.format(
                        " %.2f | %.2f | %.2f | %s |\n",
                        run.fsyncSeconds(),
                        run.fileIoSeconds(),
                        run.gcPauseSeconds(),
                        fresh == null ? "-" : String.format("%+.2f", fresh.wallSeconds() - run.wallSeconds())));
            }
        }
        return out.toString();
    }

    private static Run find(List<Run> runs, String codec, String operation, boolean preTouched) {
        return runs.stream()
                .filter(r -> r.codec().equals(codec) && r.operation().equals(operation) && r.preTouched() == preTouched)
                .findFirst()
                .orElse(null);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
