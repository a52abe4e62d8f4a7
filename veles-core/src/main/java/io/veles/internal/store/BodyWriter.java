package io.veles.internal.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a file's or a row's bytes into the stream a store opened for them. The stores' public
 * {@link io.veles.snapshot.store.SnapshotBody} is passed in as {@code body::writeTo}; this copy
 * keeps the internal helpers free of the API package, so that the two do not depend on each other.
 */
@FunctionalInterface
public interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
}
