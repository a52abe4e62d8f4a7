package io.veles.snapshot;

import io.veles.internal.pickle.ArraySink;
import io.veles.internal.util.DirectBuffers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An asynchronous snapshot's copy of the state: the uncompressed container but its trailer, with
 * large arrays not yet shuffled ({@link io.veles.snapshot.file.SnapshotWriter#writeUnfinished}), held in pieces.
 * Pieces are kept for the next snapshot: fresh memory costs far more to touch the first time
 * (about 4 s per GiB on these VMs) than reused memory, and the pause is what the run feels.
 *
 * <p>Pieces live outside the Java heap (direct buffers of 256 KiB), so the collector neither
 * copies nor compacts them. Held in the heap, a 668 MiB copy cost the run 2.3 s of stop-the-world
 * collections as its pieces were promoted out of the young generation and the heap grew around
 * them. Once a direct allocation is refused (the JVM's limit, {@code -XX:MaxDirectMemorySize}, or
 * no native memory), this copy takes its further pieces from the heap. Pieces dropped are freed at
 * once ({@link #trimTo}, {@link #release}), not whenever the collector finds them.
 */
final class StateCopy extends OutputStream implements ArraySink {
    private static final int PIECE = 256 << 10;
    private final List<ByteBuffer> pieces = new ArrayList<>();
    private int used;
    private ByteBuffer current;
    private long size;
    private long allocated; // bytes of every piece ever allocated: what reserve() did, after release()
    private volatile boolean directRefused; // once refused, asking again costs a collection each time
    private int directRequests; // pieces asked of direct memory, granted or not
    private final ParallelFills fills = new ParallelFills();

    @Override
    public void write(int b) {
        if (current == null || !current.hasRemaining()) {
            next();
        }
        current.put((byte) b);
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        size += length;
        while (length > 0) {
            if (current == null || !current.hasRemaining()) {
                next();
            }
            int n = Math.min(length, current.remaining());
            current.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** Large arrays are copied into the pieces as they are serialized: one copy, not two. */
    @Override
    public ByteBuffer claim() {
        if (current == null || !current.hasRemaining()) {
            next();
        }
        return current.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void commit(int bytes) {
        current.position(current.position() + bytes);
        size += bytes;
    }

    /** Large arrays are copied by this thread and a helper together ({@link ParallelFills}). */
    @Override
    public void fill(Runnable fill) {
        fills.add(fill);
    }

    /**
     * Waits until every array handed to {@link #fill} is in the pieces. Call before the state may
     * change again and before the copy is read.
     *
     * @throws IllegalStateException if a fill failed
     */
    void awaitFills() {
        Throwable failed = fills.finish();
        if (failed instanceof Error error) {
            throw error;
        }
        if (failed != null) {
            throw new IllegalStateException("copying an array of the state failed: " + failed, failed);
        }
    }

    /** As {@link #awaitFills}, after the copy failed otherwise: a fill's own failure is dropped. */
    void awaitFillsAfterFailure() {
        fills.finish();
    }

    private void next() {
        if (used == pieces.size()) {
            add(newPiece());
        }
        current = pieces.get(used++);
        current.clear();
    }

    private ByteBuffer newPiece() {
        if (!directRefused) {
            try {
                directRequests++;
                return ByteBuffer.allocateDirect(PIECE);
            } catch (OutOfMemoryError refused) {
                // Direct memory refused, by the limit or the system: the heap may still have room.
                // The JVM collects and retries for about half a second before refusing, so this
                // copy does not ask again.
                directRefused = true;
            }
        }
        return ByteBuffer.allocate(PIECE);
    }

    /**
     * Allocates pieces until {@code bytes} fit, ahead of the first snapshot. New memory is slow to
     * touch the first time, and done here, on the background thread, the run does not wait for it
     * (a direct buffer is zeroed, so touched, as it is allocated).
     */
    void reserve(long bytes) {
        // Interrupted: the snapshotter closed before its first snapshot, which will never need them.
        while (capacity() < bytes && !Thread.currentThread().isInterrupted()) {
            ByteBuffer piece = newPiece();
            add(piece);
        }
    }

    /** Empties the copy, keeping its pieces for the next one. */
    void reset() {
        used = 0;
        current = null;
        size = 0;
    }

    private synchronized void add(ByteBuffer piece) {
        pieces.add(piece);
        allocated += PIECE;
    }

    /** Memory held, whether in use or kept for reuse (read while {@link #reserve} runs, too). */
    synchronized long capacity() {
        return (long) pieces.size() * PIECE;
    }

    /** Memory allocated for pieces since the copy was made, freed or not. */
    synchronized long allocated() {
        return allocated;
    }

    /** Pieces asked of direct memory, granted or refused: after a refusal, no more are asked. */
    int directRequests() {
        return directRequests;
    }

    /** Memory held outside the Java heap, of {@link #capacity()}. */
    synchronized long directCapacity() {
        return pieces.stream().filter(ByteBuffer::isDirect).count() * PIECE;
    }

    long size() {
        return size;
    }

    /** Writes the copy to {@code out}, through one heap buffer for the pieces outside the heap. */
    void writeTo(OutputStream out) throws IOException {
        byte[] transfer = null;
        for (int i = 0; i < used; i++) {
            ByteBuffer piece = pieces.get(i);
            int length = i == used - 1 ? current.position() : PIECE;
            if (piece.hasArray()) {
                out.write(piece.array(), piece.arrayOffset(), length);
            } else {
                if (transfer == null) {
                    transfer = new byte[PIECE];
                }
                piece.get(0, transfer, 0, length);
                out.write(transfer, 0, length);
            }
        }
    }

    /** Frees the pieces beyond what {@code bytes} needs (a state that shrank). Only on an empty copy. */
    synchronized void trimTo(long bytes) {
        int keep = (int) ((bytes + PIECE - 1) / PIECE);
        while (pieces.size() > keep) {
            DirectBuffers.free(pieces.remove(pieces.size() - 1));
        }
    }

    /** Frees every piece. Only once nothing reads or writes the copy; it is empty afterwards. */
    synchronized void release() {
        reset();
        for (ByteBuffer piece : pieces) {
            DirectBuffers.free(piece);
        }
        pieces.clear();
    }
}
