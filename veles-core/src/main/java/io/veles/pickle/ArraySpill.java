package io.veles.pickle;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Where {@code SnapshotReader.readSaved} copies numeric arrays when a tool reads a state too large for its
 * heap: each array's bytes go to {@code out} one after another, as the snapshot holds them
 * (little-endian), and the graph holds a {@link SpilledArray} in the array's place.
 */
public final class ArraySpill {
    private final OutputStream out;
    private long written;

    public ArraySpill(OutputStream out) {
        this.out = out;
    }

    /** Bytes spilled so far. */
    public long written() {
        return written;
    }

    /** Recorded by the reader: appends an array's bytes as the snapshot holds them. */
    public void write(byte[] bytes, int from, int count) {
        try {
            out.write(bytes, from, count);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spill file: " + e.getMessage(), e);
        }
        written += count;
    }
}
