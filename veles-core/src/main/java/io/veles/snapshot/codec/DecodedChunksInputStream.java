package io.veles.snapshot.codec;

import java.io.IOException;
import java.io.InputStream;

/**
 * The reading half of a parallel decoder: serves whole chunks decoded ahead on other threads, in
 * order, and once none is left, whatever the subclass reads on from (a sequential decoder of the
 * rest of the input, or nothing). Subclasses decide how chunks are cut, decoded and checked.
 */
abstract class DecodedChunksInputStream extends InputStream {
    private final byte[] single = new byte[1];
    private byte[] chunk = new byte[0];
    private int chunkLength;
    private int position;

    /**
     * Makes the next decoded chunk current by calling {@link #serve}, waiting for it if needed.
     * Returns false when no chunk is left: from then on reads go to {@link #readRest}.
     */
    protected abstract boolean nextChunk() throws IOException;

    /** Reads past the last chunk, as {@link InputStream#read(byte[], int, int)}; -1 at the end. */
    protected abstract int readRest(byte[] bytes, int offset, int length) throws IOException;

    /** Serves the first {@code length} bytes of {@code bytes} next. */
    protected final void serve(byte[] bytes, int length) {
        chunk = bytes;
        chunkLength = length;
        position = 0;
    }

    @Override
    public final int read() throws IOException {
        if (position < chunkLength) {
            return chunk[position++] & 0xff; // the container's headers are read a byte at a time
        }
        int n = read(single, 0, 1);
        return n < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public final int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == chunkLength) {
            if (!nextChunk()) {
                return readRest(bytes, offset, length);
            }
        }
        int n = Math.min(length, chunkLength - position);
        System.arraycopy(chunk, position, bytes, offset, n);
        position += n;
        return n;
    }
}
