package io.veles.bench.snapshot;

import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.Snapshotter;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotReader;
import io.veles.snapshot.format.SnapshotWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The measurements behind {@code bench/run}, one per JVM so that each starts from a clean heap.
 * Prints {@code RESULT <key> <value>} lines for the script's table.
 *
 * <pre>
 * raw BYTES FILE                          W1's arrays as raw float32 (the anchors' input)
 * snapshot BYTES DIR CODEC LEVEL sync|async  one W1 snapshot into DIR
 * restore FILE                            restore a W1 snapshot
 * w2 ITERATIONS                           W2 snapshot + restore, ours and JDK serialization
 * </pre>
 */
public final class SnapshotBench {
    private SnapshotBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "raw":
                result("raw_bytes", Workloads.writeRaw(Long.parseLong(args[1]), Path.of(args[2])));
                break;
            case "snapshot":
                snapshot(Long.parseLong(args[1]), Path.of(args[2]), Codec.fromArgument(args[3]), Integer.parseInt(args[4]),
                        "async".equals(args[5]));
                break;
            case "restore":
                restore(Path.of(args[1]));
                break;
            case "w2":
                w2(Integer.parseInt(args[1]));
                break;
            default:
                throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static void result(String key, Object value) {
        System.out.println("RESULT " + key + " " + value);
    }

    private static void snapshot(long bytes, Path dir, Codec codec, int level, boolean async) throws Exception {
        Workloads.W1 w1 = new Workloads.W1(bytes);
        SnapshotSettings settings = new SnapshotSettings("w1", dir.toString(), codec, level, 1, 0, null, null,
                Long.MAX_VALUE).withAsync(async, async ? Long.MAX_VALUE : 0);
        Snapshotter snapshotter = Snapshotter.create(w1, settings);
        w1.initialize();
        long base = settle();
        long start = System.nanoTime();
        if (async) {
            snapshotter.run();
            result("pause_seconds", seconds(snapshotter.lastPauseNanos()));
            snapshotter.awaitWritten();
        } else {
            snapshotter.export();
        }
        double total = seconds(System.nanoTime() - start);
        Path file = Path.of(snapshotter.destination());
        result("seconds", total);
        result("state_bytes", w1.stateBytes());
        result("stored_bytes", Files.size(file));
        result("file", file);
        result("heap_beyond_state_mib", (peakHeap() - base) >> 20);
    }

    private static void restore(Path file) throws Exception {
        long base = settle();
        long start = System.nanoTime();
        Workloads.W1 w1;
        try (SnapshotReader reader = Snapshots.openFile(file)) {
            w1 = Snapshots.restore(reader, Workloads.W1.class, List.of());
        }
        double total = seconds(System.nanoTime() - start);
        result("seconds", total);
        result("state_bytes", w1.stateBytes());
        result("heap_beyond_state_mib", (peakHeap() - base - w1.stateBytes()) >> 20);
        // Spot check: the first layer is the one generated.
        float[] first = Workloads.weights(w1.stateBytes(), 0);
        result("restored_equal", Arrays.equals(first, w1.layers.get(0).weights));
    }

    private static void w2(int iterations) throws Exception {
        double[] ours = new double[iterations];
        double[] jdk = new double[iterations];
        Workloads.W2 w2 = new Workloads.W2();
        List<Workloads.JdkSmall> plain = Workloads.jdkW2();
        for (int round = -3; round < iterations; round++) { // three rounds of warm-up
            long start = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SnapshotWriter.write(w2, new Manifest(), SnapshotWriter.Options.of(Codec.NONE, -1), out);
            try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(out.toByteArray()), "w2")) {
                Snapshots.restore(reader, Workloads.W2.class, List.of());
            }
            double oursSeconds = seconds(System.nanoTime() - start);
            double jdkSeconds = jdkRoundTrip(plain);
            if (round >= 0) {
                ours[round] = oursSeconds;
                jdk[round] = jdkSeconds;
            }
        }
        result("ours_ms", median(ours) * 1000);
        result("jdk_ms", median(jdk) * 1000);
    }

    /** JDK serialization recurses once per unit along the ring: it needs a deep stack. */
    private static double jdkRoundTrip(Object graph) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                long start = System.nanoTime();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(graph);
                }
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                    in.readObject();
                }
                outcome.set(seconds(System.nanoTime() - start));
            } catch (Exception e) {
                outcome.set(e);
            }
        }, "jdk", 256L << 20);
        thread.start();
        thread.join();
        if (outcome.get() instanceof Exception) {
            throw (Exception) outcome.get();
        }
        return (Double) outcome.get();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Collects garbage, resets the heap's peak, and returns the heap in use. */
    private static long settle() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
