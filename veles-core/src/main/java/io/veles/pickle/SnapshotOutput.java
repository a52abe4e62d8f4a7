package io.veles.pickle;

import com.esotericsoftware.kryo.io.Output;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Kryo output that writes primitive arrays in bulk, little-endian, a buffer at a time, so that a
 * large array costs a memory copy rather than a call per element, and never a second copy of the
 * whole array.
 */
class SnapshotOutput extends Output {
    /** Copies {@code count} elements starting at {@code from} into {@code bytes}. */
    @FunctionalInterface
    interface ChunkWriter {
        void put(ByteBuffer bytes, int from, int count);
    }

    SnapshotOutput(OutputStream sink, int bufferSize) {
        super(sink, bufferSize);
    }

    /** Bytes written so far, buffered ones included. */
    long written() {
        return total();
    }

    /** Writes {@code length} elements of {@code width} bytes each through {@code writer}. */
    void writeArrayLE(int length, int width, ChunkWriter writer) {
        int done = 0;
        while (done < length) {
            require(width);
            int count = Math.min((capacity - position) / width, length - done);
            writer.put(ByteBuffer.wrap(buffer, position, count * width).order(ByteOrder.LITTLE_ENDIAN), done, count);
            position += count * width;
            done += count;
        }
    }
}
