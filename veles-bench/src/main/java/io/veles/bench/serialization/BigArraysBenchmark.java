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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Big arrays: 20 layers holding 256 MiB of float weights, written to a stream that only counts
 * bytes and read from a stream over the bytes in memory. Time per snapshot here; the report turns
 * it into MB/s. Run with -prof gc to see what each one allocates beyond the arrays themselves.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx3g"})
public class BigArraysBenchmark {
    @Param({Codec.JDK, Codec.KRYO, Codec.KRYO_BULK, Codec.KRYO_UNSAFE, Codec.FORY, Codec.FORY_OOB})
    public String codec;

    private Codec library;
    private final ByteSink discard = ByteSink.discarding();
    /** Only the serialize benchmark keeps the objects, only deserialize keeps the bytes: never both. */
    private ArrayList<Layer> layers;

    private byte[] bytes;
    private int length;

    @Setup
    public void setUp(BenchmarkParams params) throws IOException {
        library = Codec.named(codec);
        ArrayList<Layer> source = Graphs.layers();
        if (params.getBenchmark().endsWith(".serialize")) {
            layers = source;
            return;
        }
        long fingerprint = Graphs.fingerprint(source);
        ByteSink sink = ByteSink.growable((int) Graphs.ARRAY_PAYLOAD_BYTES + (1 << 20));
        library.write(source, sink);
        source = null; // let the objects go before the check read: never three copies at once
        bytes = sink.bytes();
        length = (int) sink.count();
        if (Graphs.fingerprint(deserialize()) != fingerprint) {
            throw new AssertionError(codec + " read back different floats");
        }
    }

    @Benchmark
    public long serialize() throws IOException {
        discard.reset();
        library.write(layers, discard);
        return discard.count();
    }

    @Benchmark
    public Object deserialize() throws IOException {
        return library.read(new ByteArrayInputStream(bytes, 0, length));
    }
}
