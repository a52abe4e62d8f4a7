package io.veles.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An asynchronous snapshot's copy of the state: the uncompressed container but its trailer, with
 * large arrays not yet shuffled ({@link io.veles.snapshot.file.SnapshotWriter#writeUnfinished}), held in pieces.
 * Pieces are kept for the next snapshot: fresh memory costs far more to touch the first time
 * (about 4 s per GiB on these VMs) than reused memory, and the pause is what the run feels.
 * Pieces are 256 KiB, below half of G1's smallest region, so that none is a humongous object.
 */
final class StateCopy extends OutputStream {
    private static final int PIECE = 256 << 10;
    private final List<byte[]> pieces = new ArrayList<>();
    private int used;
    private byte[] current;
    private int filled;
    private long size;

    @Override
    public void write(int b) {
        if (current == null || filled == current.length) {
            next();
        }
        current[filled++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        size += length;
        while (length > 0) {
            if (current == null || filled == current.length) {
                next();
            }
            int n = Math.min(length, current.length - filled);
            System.arraycopy(bytes, offset, current, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    private void next() {
        if (used == pieces.size()) {
            pieces.add(new byte[PIECE]);
        }
        current = pieces.get(used++);
        filled = 0;
    }

    /**
     * Allocates pieces until {@code bytes} fit, ahead of the first snapshot. New memory is slow to
     * touch the first time, and done here, on the background thread, the run does not wait for it.
     */
    void reserve(long bytes) {
        // Interrupted: the snapshotter closed before its first snapshot, which will never need them.
        while (capacity() < bytes && !Thread.currentThread().isInterrupted()) {
            byte[] piece = new byte[PIECE];
            synchronized (this) {
                pieces.add(piece);
            }
        }
    }

    /** Empties the copy, keeping its pieces for the next one. */
    void reset() {
        used = 0;
        current = null;
        filled = 0;
        size = 0;
    }

    /** Memory held, whether in use or kept for reuse (read while {@link #reserve} runs, too). */
    synchronized long capacity() {
        return (long) pieces.size() * PIECE;
    }

    long size() {
        return size;
    }

    /** Writes the copy to {@code out}. */
    void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < used; i++) {
            out.write(pieces.get(i), 0, i == used - 1 ? filled : PIECE);
        }
    }

    /** Lets go of the pieces beyond what {@code bytes} needs (a state that shrank). */
    void trimTo(long bytes) {
        int keep = (int) ((bytes + PIECE - 1) / PIECE);
        while (pieces.size() > keep) {
            pieces.remove(pieces.size() - 1);
        }
    }
}
