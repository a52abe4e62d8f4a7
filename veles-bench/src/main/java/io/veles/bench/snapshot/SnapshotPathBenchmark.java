package io.veles.bench.snapshot;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * The snapshot writer's inner loops on a 64 MiB W1, into a stream that discards: the container
 * alone (none), with the shuffle filter, and through each codec on one thread and on every core.
 * {@code java -jar veles-bench/target/benchmarks.jar SnapshotPathBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class SnapshotPathBenchmark {
    @Param({"none", "none+shuffle", "gz", "zst", "lz4", "snappy", "bz2"})
    public String path;

    @Param({"1", "2"})
    public int threads;

    private Workloads.W1 w1;
    private SnapshotWriter.Options options;

    @Setup
    public void setUp() {
        w1 = new Workloads.W1(64L << 20);
        Codec codec = Codec.fromArgument(path.replace("+shuffle", ""));
        options = SnapshotWriter.Options.of(codec, -1)
                .withThreads(threads)
                .withShuffle(path.endsWith("+shuffle")
                        || SnapshotWriter.Options.shufflesByDefault(codec, codec.checkLevel(-1)));
    }

    @Benchmark
    public Manifest write() throws IOException {
        return SnapshotWriter.write(w1, new Manifest(), options, OutputStream.nullOutputStream());
    }
}
