package io.veles.internal.pickle;

import io.veles.errors.SnapshotException;
import io.veles.internal.util.ByteCounts;

import java.util.function.Supplier;

/**
 * Turns running out of heap or stack while reading a snapshot into one clear line. The budgets in
 * {@link SnapshotInput} and {@link HashKeys} refuse hostile payloads before this happens; this is
 * the last guard, so that no OutOfMemoryError or StackOverflowError escapes a restore, verify,
 * inspect or diff. What was being read is unreachable once the error is thrown, so the heap is
 * free again for the caller.
 */
public final class ResourceErrors {
    private ResourceErrors() {}

    /** Runs {@code read}, reporting {@code what} failed for want of heap or stack. */
    public static <T> T guard(String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (OutOfMemoryError e) {
            throw new SnapshotException(
                    what + ": out of memory (this JVM's heap is " + ByteCounts.format(HeapLimit.maxBytes())
                            + "; a larger -Xmx may help if the snapshot is genuine)",
                    e);
        } catch (StackOverflowError e) {
            throw new SnapshotException(
                    what + ": the state nests too deeply for this thread's stack"
                            + " (a larger -Xss may help if the snapshot is genuine)",
                    e);
        }
    }
}
