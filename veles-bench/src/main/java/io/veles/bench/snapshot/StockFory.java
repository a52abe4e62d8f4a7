package io.veles.bench.snapshot;

import io.veles.workflow.Workflow;
import org.apache.fory.Fory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;
import org.apache.fory.memory.MemoryBuffer;

/**
 * W2 through Apache Fory with the guarantees ours gives: every object's identity kept (strings
 * too: Fory leaves them untracked unless told), fields matched by name on read (compatible mode,
 * as our manifest's class layouts allow a field to be added or removed), and Fory's serializers
 * generated per class at first use. It tells what a payload layout of that kind does on this host
 * over the same graph: no class written where a field's declared type tells it, collections'
 * declared element types used, no per-object dispatch through a generic serializer.
 *
 * <p>Not our snapshot: no manifest, checksum, allowlist or bounds. It recurses along the ring of
 * units, so it needs a deep stack (see {@code SnapshotBench}).
 */
final class StockFory {
    private final Fory fory = Fory.builder()
            .withLanguage(Language.JAVA)
            .withRefTracking(true)
            .ignoreStringRef(false)
            .withCompatibleMode(CompatibleMode.COMPATIBLE)
            .withCodegen(true)
            .requireClassRegistration(false)
            .suppressClassRegistrationWarnings(true)
            .withMaxDepth(1 << 20) // a ring of n units nests n + 2 deep
            .build();
    private final MemoryBuffer buffer = MemoryBuffer.newHeapBuffer(1 << 16);

    /** Seconds of writing {@code graph} to memory and reading it back; checks what came back. */
    double roundTrip(Workflow graph) {
        long start = System.nanoTime();
        Workflow restored = copy(graph);
        long end = System.nanoTime();
        int units = restored.allUnits().size();
        if (units != graph.allUnits().size()) {
            throw new IllegalStateException(
                    "Fory restored " + units + " units of " + graph.allUnits().size());
        }
        return (end - start) / 1e9;
    }

    /** {@code graph} written to memory and read back. */
    Workflow copy(Workflow graph) {
        buffer.writerIndex(0);
        fory.serialize(buffer, graph);
        return (Workflow) fory.deserialize(MemoryBuffer.fromByteArray(buffer.getHeapMemory(), 0, buffer.writerIndex()));
    }
}
