package io.veles.pickle;

import com.esotericsoftware.kryo.io.Input;
import io.veles.snapshot.SnapshotException;
import io.veles.util.ByteCounts;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Kryo input over a payload of known length. It reads primitive arrays in bulk and refuses a
 * declared array length that the bytes left cannot hold, before anything is allocated for it.
 */
class SnapshotInput extends Input {
    /** Copies {@code count} elements from {@code bytes} into the array starting at {@code from}. */
    @FunctionalInterface
    interface ChunkReader {
        void get(ByteBuffer bytes, int from, int count);
    }

    private final long payloadLength;

    private final boolean shuffled;
    private byte[] scratch;
    private byte[] shuffledBlock;

    SnapshotInput(InputStream source, int bufferSize, long payloadLength) {
        this(source, bufferSize, payloadLength, false);
    }

    /** {@code shuffled}: the writer filtered large numeric arrays with {@link ByteShuffle}. */
    SnapshotInput(InputStream source, int bufferSize, long payloadLength, boolean shuffled) {
        super(source, bufferSize);
        this.payloadLength = payloadLength;
        this.shuffled = shuffled;
    }

    /** Bytes of the payload consumed so far. */
    long consumed() {
        return total();
    }

    long remaining() {
        return payloadLength - total();
    }

    /**
     * Refuses a length that cannot be real: negative, more bytes than the payload has left, or
     * more than this JVM's heap could ever hold.
     */
    int checkedLength(int length, int width, String what) {
        long bytes = (long) length * width;
        if (length < 0 || bytes > remaining()) {
            throw new SnapshotException("snapshot is corrupt: it declares " + what + " of " + length
                    + " elements, more than the " + remaining() + " bytes left can hold");
        }
        if (bytes > HeapLimit.maxBytes()) {
            throw new SnapshotException("snapshot holds " + what + " of " + ByteCounts.format(bytes)
                    + ", more than this JVM's whole heap (" + ByteCounts.format(HeapLimit.maxBytes())
                    + "); restore with a larger -Xmx");
        }
        return length;
    }

    /**
     * Reads a string, refusing first a UTF-8 string whose declared length the payload cannot
     * hold (Kryo allocates its characters from that length). ASCII strings grow as they are read.
     */
    @Override
    public String readString() {
        require((int) Math.min(5, Math.max(1, remaining())));
        int start = position;
        if (readVarIntFlag()) {
            int declared = readVarIntFlag(true);
            position = start;
            if (declared > 1) {
                checkedLength(declared - 1, 1, "a string");
            }
        }
        return super.readString();
    }

    /** The next positive varint, without consuming it. */
    int peekVarInt() {
        require((int) Math.min(5, Math.max(1, remaining())));
        int start = position;
        int value = readVarInt(true);
        position = start;
        return value;
    }

    /** Reads {@code length} elements of {@code width} bytes each through {@code reader}. */
    void readArrayLE(int length, int width, ChunkReader reader) {
        if (shuffled && ByteShuffle.applies(length, width)) {
            readShuffled(length, width, reader);
            return;
        }
        int done = 0;
        while (done < length) {
            require(width);
            int count = Math.min((limit - position) / width, length - done);
            reader.get(ByteBuffer.wrap(buffer, position, count * width).order(ByteOrder.LITTLE_ENDIAN), done, count);
            position += count * width;
            done += count;
        }
    }

    private void readShuffled(int length, int width, ChunkReader reader) {
        int perBlock = ByteShuffle.elementsPerBlock(width);
        int blockBytes = Math.min(length, perBlock) * width;
        if (scratch == null || scratch.length < blockBytes) {
            scratch = new byte[blockBytes];
            shuffledBlock = new byte[blockBytes];
        }
        for (int done = 0; done < length; ) {
            int count = Math.min(perBlock, length - done);
            int bytes = count * width;
            readBytes(shuffledBlock, 0, bytes);
            ByteShuffle.unshuffle(shuffledBlock, 0, scratch, 0, count, width);
            reader.get(ByteBuffer.wrap(scratch, 0, bytes).order(ByteOrder.LITTLE_ENDIAN), done, count);
            done += count;
        }
    }
}
