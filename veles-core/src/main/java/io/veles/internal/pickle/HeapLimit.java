package io.veles.internal.pickle;

import io.veles.errors.SnapshotException;
import io.veles.internal.util.ByteCounts;

/**
 * What a restore may ask of the heap. A payload, or one array in it, larger than the JVM's whole
 * heap cannot be restored, and a length that claims it is refused before reading: a lie or a
 * decompression bomb then costs a clear error instead of an OutOfMemoryError after minutes of
 * decompressing.
 */
public final class HeapLimit {
    /**
     * Fixed for the JVM's life. Kept, since restore checks it for every collection and array it
     * reads: asking the VM each time took 2% of writing and restoring W2's 10,000 small units.
     */
    private static final long MAX_BYTES = Runtime.getRuntime().maxMemory();

    private HeapLimit() {}

    /** The most heap this JVM can have (-Xmx). */
    public static long maxBytes() {
        return MAX_BYTES;
    }

    /** Refuses a payload of {@code payloadBytes} that could never fit in this heap. */
    public static void checkPayload(String source, long payloadBytes) {
        if (payloadBytes > maxBytes()) {
            throw new SnapshotException(source + " holds " + ByteCounts.format(payloadBytes)
                    + " of state, more than this JVM's whole heap (" + ByteCounts.format(maxBytes())
                    + "); restore with a larger -Xmx");
        }
    }
}
