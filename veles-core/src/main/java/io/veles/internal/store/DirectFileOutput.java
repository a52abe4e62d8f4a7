package io.veles.internal.store;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a new file from start to end, past the page cache ({@code O_DIRECT}) where the file
 * system allows it, from one reused aligned buffer; {@link #finish} makes it durable.
 *
 * <p>Why: through the page cache every written page is first a page the kernel must find, and on
 * the VMs we run on pages new to the guest cost more than the disk: writing 1 GiB into fresh page
 * cache took 1.5–2.0 s (0.15 s when freed pages were at hand), directly 1.0–1.3 s, and the fsync
 * after either 0.6–0.8 s. A snapshot is written once and not read again by this process, so the
 * cache buys nothing.
 *
 * <p>Direct I/O needs aligned buffers, positions and lengths: only whole buffers are written
 * ({@link #flush} writes nothing early), and the last, partial one is padded to the alignment and the
 * file truncated back to its length. Where {@code O_DIRECT} is refused, at open (tmpfs before Linux 6.6) or at
 * the first write (a file system that takes the flag but not our alignment), the same bytes go
 * through the page cache instead.
 */
final class DirectFileOutput extends OutputStream {
    /** Bytes per write. */
    static final int CHUNK = 1 << 20;

    private final Path file;
    /** Alignment of the file position and the write size that O_DIRECT requires. */
    private final int alignment;

    private final ByteBuffer buffer;
    private FileChannel channel;
    private boolean direct;
    private long written;

    private DirectFileOutput(Path file, int alignment, FileChannel channel, boolean direct) {
        this.file = file;
        this.alignment = alignment;
        // a test pads to less than a block; the buffer itself stays aligned for the kernel
        int bufferAlignment = Math.max(alignment, DirectFileInput.DEFAULT_ALIGNMENT);
        this.buffer = ByteBuffer.allocateDirect(CHUNK + bufferAlignment).alignedSlice(bufferAlignment);
        buffer.limit(CHUNK);
        this.channel = channel;
        this.direct = direct;
    }

    /** Creates {@code file}, which must not exist, for one sequential write. */
    static DirectFileOutput create(Path file) throws IOException {
        return create(file, DirectFileInput.alignmentFor(file));
    }

    /** {@link #create(Path)} padding the last write to {@code alignment} (tests give a wrong one). */
    static DirectFileOutput create(Path file, int alignment) throws IOException {
        try {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            return new DirectFileOutput(file, alignment, channel, true);
        } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof IOException && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw e; // the name is taken: the caller's to handle, not a missing O_DIRECT
            }
            // EINVAL: no direct I/O on this file system
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new DirectFileOutput(file, alignment, channel, false);
        }
    }

    /** The file being written. */
    Path file() {
        return file;
    }

    /** Whether the bytes go past the page cache (for tests). */
    boolean isDirect() {
        return direct;
    }

    @Override
    public void write(int b) throws IOException {
        if (!buffer.hasRemaining()) {
            writeBuffer();
        }
        buffer.put((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (!buffer.hasRemaining()) {
                writeBuffer();
            }
            int n = Math.min(length, buffer.remaining());
            buffer.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** Writes nothing early: direct writes take whole aligned buffers, and nothing is durable before {@link #finish}. */
    @Override
    public void flush() {}

    /** Writes the rest, forces the file to the disk and returns its length. */
    long finish() throws IOException {
        int tail = buffer.position();
        if (tail > 0) {
            long length = written + tail;
            if (direct) {
                // padded to the alignment, then the padding cut off again
                while (buffer.position() % alignment != 0) {
                    buffer.put((byte) 0);
                }
            }
            writeBuffer();
            if (written != length) {
                channel.truncate(length);
                written = length;
            }
        }
        channel.force(true);
        return written;
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        long start = written;
        try {
            writeFully();
        } catch (IOException e) {
            if (!direct) {
                throw e;
            }
            // The file system took O_DIRECT at open but not these writes: the page cache it is.
            channel.close();
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            channel.position(start);
            direct = false;
            written = start;
            buffer.rewind();
            writeFully();
        }
        buffer.clear();
    }

    private void writeFully() throws IOException {
        while (buffer.hasRemaining()) {
            written += channel.write(buffer);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
