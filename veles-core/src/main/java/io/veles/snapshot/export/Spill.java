package io.veles.snapshot.export;

import io.veles.pickle.ArraySpill;
import io.veles.pickle.SpilledArray;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
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
    private final Path file;
    private final OutputStream out;
    private final ArraySpill spill;
    private FileChannel channel;

    Spill(Path directory) throws IOException {
        file = Files.createTempFile(directory, ".veles-export-", ".spill");
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

    @Override
    public void close() throws IOException {
        try {
            out.close();
            if (channel != null) {
                channel.close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
