package io.veles.bench.serialization;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * W2, small units: a workflow of 10,000 linked units, serialized into a reused in-memory buffer
 * and read back from bytes, in ms per graph.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// The recursive configurations follow the ring 10,000 links deep: more than the default stack
// holds (see StackProbe), so JMH's worker threads get a large one.
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xss64m", "-Xmx2g"})
public class SmallUnitsBenchmark {
    static final int UNITS = 10_000;

    @Param({
        Codec.JDK,
        Codec.KRYO,
        Codec.KRYO_REGISTERED,
        Codec.KRYO_FLAT,
        Codec.KRYO_TUNED,
        Codec.KRYO_HAND_WRITTEN,
        Codec.FORY,
        Codec.FORY_FLAT
    })
    public String codec;

    private Codec library;
    private Workflow workflow;
    private byte[] bytes;
    private int length;

    @Setup
    public void setUp() {
        library = Codec.named(codec);
        workflow = Graphs.ring(UNITS);
        length = library.write(workflow);
        bytes = Arrays.copyOf(library.bytes(), length);
        Graphs.checkRing(library.read(bytes, length), UNITS);
    }

    @Benchmark
    public int serialize() {
        return library.write(workflow);
    }

    @Benchmark
    public Object deserialize() {
        return library.read(bytes, length);
    }
}
