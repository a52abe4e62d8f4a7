package io.veles.internal.pickle;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;

import java.io.IOException;
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

    private final boolean shuffle;
    /** Where arrays the filter takes are noted instead of shuffled now, or null. */
    private final DeferredShuffle deferred;

    private byte[] scratch;
    private byte[] shuffledBlock;

    SnapshotOutput(OutputStream sink, int bufferSize) {
        this(sink, bufferSize, false);
    }

    /** With {@code shuffle}, large numeric arrays go through the {@link ByteShuffle} filter. */
    SnapshotOutput(OutputStream sink, int bufferSize, boolean shuffle) {
        this(sink, bufferSize, shuffle, null);
    }

    /**
     * With {@code deferred}, large numeric arrays are written as they are and noted there, for
     * the filter to be applied later to the stream.
     */
    SnapshotOutput(OutputStream sink, int bufferSize, boolean shuffle, DeferredShuffle deferred) {
        super(sink, bufferSize);
        this.shuffle = shuffle;
        this.deferred = deferred;
    }

    /** Bytes written so far, buffered ones included. */
    long written() {
        return total();
    }

    /** Writes {@code length} elements of {@code width} bytes each through {@code writer}. */
    void writeArrayLE(int length, int width, ChunkWriter writer) {
        if (shuffle && ByteShuffle.applies(length, width)) {
            if (deferred == null) {
                writeShuffled(length, width, writer);
                return;
            }
            deferred.addArray(written(), length, width);
        }
        if (outputStream instanceof ArraySink sink && (long) length * width > capacity) {
            writeInto(sink, length, width, writer);
            return;
        }
        int done = 0;
        while (done < length) {
            require(width);
            int count = Math.min((capacity - position) / width, length - done);
            writer.put(ByteBuffer.wrap(buffer, position, count * width).order(ByteOrder.LITTLE_ENDIAN), done, count);
            position += count * width;
            done += count;
        }
    }

    /**
     * Writes the elements straight into the sink's memory, after what the buffer holds. An element
     * that would straddle two of the sink's pieces goes through the buffer.
     */
    private void writeInto(ArraySink sink, int length, int width, ChunkWriter writer) {
        flush();
        int done = 0;
        while (done < length) {
            ByteBuffer region = sink.claim();
            int count = Math.min(region.remaining() / width, length - done);
            if (count == 0) {
                writer.put(ByteBuffer.wrap(buffer, 0, width).order(ByteOrder.LITTLE_ENDIAN), done, 1);
                position = width;
                flush();
                done++;
                continue;
            }
            int from = done;
            int elements = count;
            sink.commit(count * width);
            sink.fill(() -> writer.put(region, from, elements));
            total += (long) count * width;
            done += count;
        }
    }

    private void writeShuffled(int length, int width, ChunkWriter writer) {
        int perBlock = ByteShuffle.elementsPerBlock(width);
        int blockBytes = Math.min(length, perBlock) * width;
        if (scratch == null || scratch.length < blockBytes) {
            scratch = new byte[blockBytes];
            shuffledBlock = new byte[blockBytes];
        }
        for (int done = 0; done < length; ) {
            int count = Math.min(perBlock, length - done);
            int bytes = count * width;
            writer.put(ByteBuffer.wrap(scratch, 0, bytes).order(ByteOrder.LITTLE_ENDIAN), done, count);
            ByteShuffle.shuffle(scratch, 0, shuffledBlock, 0, count, width);
            writeThrough(shuffledBlock, bytes);
            done += count;
        }
    }

    /**
     * Writes {@code length} bytes of {@code bytes}, straight to the stream when they would fill
     * the buffer: a shuffled block is megabytes, and passing it through the 64 KiB buffer copied
     * every byte once more.
     */
    private void writeThrough(byte[] bytes, int length) {
        if (outputStream == null || length <= capacity - position) {
            writeBytes(bytes, 0, length);
            return;
        }
        try {
            outputStream.write(buffer, 0, position);
            total += position;
            position = 0;
            outputStream.write(bytes, 0, length);
            total += length;
        } catch (IOException e) {
            throw new KryoException(e);
        }
    }
}
