package io.veles.snapshot.codec;

import java.util.ArrayDeque;

/**
 * Buffers of chunks already served, for a parallel reader's next chunks. A restore reads a
 * state-sized input in chunks of megabytes; a new array per chunk filled the heap's headroom with
 * garbage, and under G1 each was a humongous object whose hole could keep one of the state's large
 * arrays from finding room (a 1 GiB gz restore in a heap of state + 256 MiB ran out of memory now
 * and then). The buffers held at once are those of the chunks in flight, as without reuse. Used by
 * the reading thread alone.
 */
final class SpareBuffers {
    private final ArrayDeque<byte[]> spares = new ArrayDeque<>();

    /**
     * A spare buffer of at least {@code length} bytes, else a new one of {@code room} bytes (or
     * {@code length}, if larger). A spare too small is dropped: chunks differ in size a little, and
     * room for the larger ones keeps their buffers in use.
     */
    byte[] take(int length, int room) {
        byte[] buffer = spares.poll();
        return buffer != null && buffer.length >= length ? buffer : new byte[Math.max(length, room)];
    }

    /** Keeps {@code buffer}, whose chunk was read whole, for a later {@link #take}. */
    void giveBack(byte[] buffer) {
        spares.add(buffer);
    }
}
