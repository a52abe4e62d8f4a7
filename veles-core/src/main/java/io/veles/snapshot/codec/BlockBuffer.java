package io.veles.snapshot.codec;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A compressed block's bytes, in an array that is kept and reused for the next block. A 4 MiB
 * block's output is a humongous object for G1; allocating one or two per block (a stream's buffer,
 * then its copy) started a concurrent collection almost every time on a full heap: 462 of them
 * during four asynchronous gz snapshots of 668 MiB, which slowed the training beside them.
 */
final class BlockBuffer extends OutputStream {
    private byte[] bytes;
    private int size;

    BlockBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    /** The bytes; the first {@link #size()} of them are the block's. */
    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    /** Empties the buffer for the next block, keeping its array. */
    void reset() {
        size = 0;
    }

    /** Makes room for {@code capacity} bytes in all, keeping those written. */
    void ensureCapacity(int capacity) {
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length + (bytes.length >> 1)));
        }
    }

    /** Declares the first {@code newSize} bytes of {@link #array()} written (by a codec that wrote them in place). */
    void setSize(int newSize) {
        if (newSize < 0 || newSize > bytes.length) {
            throw new IllegalArgumentException("size " + newSize + " outside a buffer of " + bytes.length);
        }
        size = newSize;
    }

    @Override
    public void write(int b) {
        ensureCapacity(size + 1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensureCapacity(size + length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }
}
