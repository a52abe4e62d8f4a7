package io.veles.bench.snapshot;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import io.veles.workflow.Workflow;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * The library under our serializer, as it comes: Kryo's reflective field serializer with
 * references on and class names written, over the same W2 graph. It tells how much of W2's time
 * is the library's own per-object work (class and reference bookkeeping, reflective access)
 * rather than what we add: the flat unit layout, the allowlist, bounds, the manifest.
 *
 * <p>It recurses along the ring of units, so it needs a deep stack (see {@code SnapshotBench}).
 */
final class StockKryo {
    private final Kryo kryo = new Kryo();

    StockKryo() {
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        // Units have no no-argument constructor; Objenesis creates them as Kryo users do.
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    }

    /** Seconds of writing {@code graph} to memory and reading it back; checks what came back. */
    double roundTrip(Workflow graph) {
        long start = System.nanoTime();
        Output output = new Output(1 << 16, -1);
        kryo.writeClassAndObject(output, graph);
        Object restored = kryo.readClassAndObject(new Input(output.getBuffer(), 0, output.position()));
        long end = System.nanoTime();
        int units = ((Workflow) restored).allUnits().size();
        if (units != graph.allUnits().size()) {
            throw new IllegalStateException("stock Kryo restored " + units + " units of "
                    + graph.allUnits().size());
        }
        return (end - start) / 1e9;
    }
}
