package io.veles.bench.snapshot;

import io.veles.progress.Progress;
import io.veles.progress.ProgressReporter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * What progress reporting costs a snapshot: counting the bytes of 64 MiB written in pieces of
 * {@code piece} bytes (raw: no counting), and starting and closing one task, which every
 * snapshot written or read does. Outside a terminal nothing is shown in either case.
 * {@code java -jar veles-bench/target/benchmarks.jar ProgressBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class ProgressBenchmark {
    private static final long TOTAL = 64L << 20;

    @Param({"raw", "tracked"})
    public String stream;

    @Param({"64", "65536"})
    public int piece;

    @Benchmark
    public long write64MiB() throws IOException {
        byte[] bytes = new byte[piece];
        OutputStream sink = OutputStream.nullOutputStream();
        try (OutputStream out = stream.equals("raw") ? sink : Progress.track(sink, "bench", TOTAL)) {
            for (long done = 0; done < TOTAL; done += piece) {
                out.write(bytes, 0, piece);
            }
        }
        return TOTAL;
    }

    @Benchmark
    public void startAndCloseATask() {
        ProgressReporter.Task task = Progress.reporter().start("bench", TOTAL);
        task.advanceTo(TOTAL);
        task.close();
    }
}
