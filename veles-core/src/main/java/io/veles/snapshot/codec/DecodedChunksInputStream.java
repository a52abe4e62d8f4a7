package io.veles.snapshot.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The reading half of a parallel decoder: serves whole chunks decoded ahead on other threads, in
 * order, and once none is left, what a sequential decoder makes of the input handed over to it
 * (input the parallel reading could not cut, or did not decode cleanly), or nothing. Because
 * every chunk served is one the sequential decoder would give too, the output, and any error, is
 * the sequential decoder's. Subclasses decide how chunks are cut, decoded and checked.
 */
abstract class DecodedChunksInputStream extends InputStream {
    private final byte[] single = new byte[1];
    private byte[] chunk = new byte[0];
    private int chunkLength;
    private int position;
    /**
     * Buffers of chunks read whole, for the next ones: the input as read, and the output it
     * decoded to. Subclasses take from them; {@link #serve(byte[], byte[], int)} gives back.
     */
    protected final SpareBuffers spareInputs = new SpareBuffers();

    protected final SpareBuffers spareOutputs = new SpareBuffers();
    /** The current chunk's input and output buffers, given back once it is read whole; null if none. */
    private byte[] servedInput;

    private byte[] servedOutput;
    /** Input for the sequential decoder, once handed over and until it is made. */
    private InputStream handedOver;

    private InputStream sequential;

    /**
     * Makes the next decoded chunk current by calling {@link #serve}, waiting for it if needed.
     * Returns false when no chunk is left: from then on reads go to the sequential decoder of
     * what was {@linkplain #handOver handed over}, if anything was.
     */
    protected abstract boolean nextChunk() throws IOException;

    /** The codec's sequential decoder reading {@code rest}. */
    protected abstract InputStream sequentialDecoder(InputStream rest) throws IOException;

    /**
     * Gives {@code parts}, in order, to the sequential decoder, to be read after the last chunk
     * served. Parts handed over earlier are not kept: a later hand-over that must read them
     * includes {@link #takeHandedOver()}.
     */
    protected final void handOver(List<InputStream> parts) {
        handedOver = new SequenceInputStream(Collections.enumeration(parts));
    }

    /** What was handed over and not read yet, now no longer handed over; null if nothing. */
    protected final InputStream takeHandedOver() {
        InputStream taken = handedOver;
        handedOver = null;
        return taken;
    }

    /** Waits for a chunk decoded on another thread; its failure is rethrown as the IOException it was. */
    protected static <T> T await(Future<T> decoding, String codec) throws IOException {
        try {
            return decoding.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decoding " + codec);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    private int readRest(byte[] bytes, int offset, int length) throws IOException {
        if (sequential == null) {
            if (handedOver == null) {
                return -1;
            }
            sequential = TruncationAwareDecoder.of(takeHandedOver(), this::sequentialDecoder);
        }
        return sequential.read(bytes, offset, length);
    }

    /** Closes the sequential decoder if one was made: it closes the input. */
    protected final boolean closeSequential() throws IOException {
        if (sequential == null) {
            return false;
        }
        sequential.close();
        return true;
    }

    /**
     * Serves the first {@code length} bytes of {@code output} next, decoded from {@code input};
     * once they are all read, before the next chunk is asked for, both buffers go back to the
     * spares.
     */
    protected final void serve(byte[] input, byte[] output, int length) {
        chunk = output;
        chunkLength = length;
        position = 0;
        servedInput = input;
        servedOutput = output;
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
            if (servedOutput != null) { // read whole: its buffers take the next chunks
                spareInputs.giveBack(servedInput);
                spareOutputs.giveBack(servedOutput);
                servedInput = servedOutput = null;
            }
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
