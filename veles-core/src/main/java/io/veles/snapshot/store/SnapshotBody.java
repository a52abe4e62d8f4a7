package io.veles.snapshot.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one snapshot's bytes into a store's stream. Stores call it once, and make what it wrote
 * visible only if it returns normally.
 */
@FunctionalInterface
public interface SnapshotBody {
    void writeTo(OutputStream out) throws IOException;
}
