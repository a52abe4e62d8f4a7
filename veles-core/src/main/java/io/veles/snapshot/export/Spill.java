package io.veles.snapshot.export;

import io.veles.internal.store.TemporaryFiles;
import io.veles.pickle.ArraySpill;
import io.veles.pickle.SpilledArray;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The temporary file a snapshot's arrays are copied to while its state is read (the heap holds
 * none of them), then read back range by range by the writers. Deleted on close.
 */
final class Spill implements Closeable {
    private static final int BUFFER = 1 << 16;
    private static final long WINDOW = 1L << 30;
    private final Path file;
    private final OutputStream out;
    private final ArraySpill spill;
    private FileChannel channel;

    Spill(Path directory) throws IOException {
        // removed at the JVM's end unless closed first (Ctrl-C mid-export)
        file = TemporaryFiles.track(Files.createTempFile(directory, ".veles-export-", ".spill"));
        out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
        spill = new ArraySpill(out);
    }

    ArraySpill sink() {
        return spill;
    }

    /** Ends the writing; the arrays can be read from now on. */
    void finishWriting() throws IOException {
        out.close();
        channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    /** Writes {@code array}'s bytes to {@code target}, a buffer at a time. */
    void copy(SpilledArray array, OutputStream target) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long position = array.offset();
        long end = array.offset() + array.byteLength();
        while (position < end) {
            buffer.clear().limit((int) Math.min(BUFFER, end - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("the spill file " + file + " ended early");
            }
            target.write(buffer.array(), 0, n);
            position += n;
        }
    }

    /**
     * {@code array}'s bytes for reads anywhere (as a transpose gathers them), memory-mapped: windows
     * of {@link #WINDOW} bytes, each mapped a tile further so that any read of up to a tile lies
     * in one window (a mapping holds at most 2 GiB).
     */
    TransposedBytes.Source mapped(SpilledArray array) throws IOException {
        long length = array.byteLength();
        MappedByteBuffer[] windows = new MappedByteBuffer[(int) Math.max(1, (length + WINDOW - 1) / WINDOW)];
        for (int w = 0; w < windows.length; w++) {
            long start = (long) w * WINDOW;
            long size = Math.min(WINDOW + TransposedBytes.TILE, length - start);
            windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, array.offset() + start, Math.max(0, size));
        }
        return (offset, into, at, count) ->
                windows[(int) (offset / WINDOW)].get((int) (offset % WINDOW), into, at, count);
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
            if (channel != null) {
                channel.close();
            }
        } finally {
            TemporaryFiles.delete(file);
        }
    }
}
