package io.veles.internal.store;

import com.sun.nio.file.ExtendedOpenOption;
import io.veles.internal.util.DaemonThreads;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads a whole file from start to end, past the page cache ({@code O_DIRECT}) where the file
 * system allows it, into aligned buffers read ahead of the one being served.
 *
 * <p>Why: a restore reads each byte once, and through the page cache every read first takes a
 * page the kernel must find and fill, then copies it out. On the VMs we run on, pages new to the
 * guest cost more than the disk read itself: a cold 1 GiB read took 0.9–1.5 s buffered against
 * 0.4–0.6 s direct (4 MiB reads). {@code dd iflag=direct}, the restore's anchor, reads this way.
 *
 * <p>Without the page cache nothing reads ahead: one thread of ours reads the next chunks while
 * the current one is served. Chunks start at 64 KiB and grow to 4 MiB, so that reading a header
 * reads little more. The reads queued grow with them, from one to {@link #MOST_AHEAD}: a reader
 * that stops now and then for longer than a chunk's read (a restore allocating a 50 MiB array,
 * which the JVM zeroes first) would otherwise leave the disk idle while it does.
 *
 * <p>Where {@code O_DIRECT} is refused (tmpfs before Linux 6.6, some network file systems), {@link #open} returns
 * a plain buffered stream instead: same bytes, only slower.
 */
public final class DirectFileInput extends InputStream {
    /** Bytes per read once a stream is read on: large enough for the disk to stream. */
    static final int CHUNK = 4 << 20;
    /**
     * Bytes of the first read: the tools that open a snapshot for its header and manifest alone
     * ({@code snapshot ls}) read little more than this. Each read after it is 4 times larger, up
     * to {@link #CHUNK}.
     */
    static final int FIRST_CHUNK = 64 << 10;
    /**
     * Most reads queued ahead of the chunk being served: 16 MiB once the chunks are full size,
     * about 8 ms of this machine's disk, longer than the JVM takes to zero a 50 MiB array before
     * the restore fills it (about 5 ms). Eight reads were no faster: each new buffer is memory
     * touched for the first time, which these VMs make dear. The system property
     * {@code veles.snapshot.readAheadChunks} changes it (at least 1), for measuring.
     */
    static final int MOST_AHEAD = Math.max(1, Integer.getInteger("veles.snapshot.readAheadChunks", 4));
    /** The largest alignment we follow. */
    static final int MOST_ALIGNMENT = 1 << 20;
    /** Where the file system says nothing: the largest logical block of common disks. */
    static final int DEFAULT_ALIGNMENT = 4096;

    /** A read queued on the read-ahead thread, and the bytes it asked for: fewer mean the end of the file. */
    private record Ahead(Future<ByteBuffer> chunk, int size) {}

    private final FileChannel channel;
    private final int alignment;
    /** Reads the next chunks while the current one is served: without the page cache, nothing else reads ahead. */
    private final ExecutorService reader = DaemonThreads.pool(1, "veles-read-ahead");
    /** The chunk being served. */
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    /** The reads queued, in file order; empty once the end of the file was served. */
    private final ArrayDeque<Ahead> ahead = new ArrayDeque<>();
    /** Buffers served and free for the next reads. */
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** The size of the next read to queue. */
    private int nextSize;
    /** Chunks served so far: as many reads are kept queued, up to {@link #MOST_AHEAD}. */
    private int served;

    private boolean ended;
    private boolean closed;

    private DirectFileInput(FileChannel channel, int alignment) {
        this.channel = channel;
        this.alignment = alignment;
        this.nextSize = Math.max(FIRST_CHUNK, alignment);
        queueRead();
    }

    /** Queues the next read, into a free buffer or a new one if none is large enough. */
    private void queueRead() {
        int size = nextSize;
        while (free.peek() != null && free.peek().capacity() < size) {
            free.pop(); // outgrown: the chunks only grow
        }
        ByteBuffer recycled = free.poll();
        Future<ByteBuffer> chunk = reader.submit(() -> {
            ByteBuffer into = recycled != null
                    ? recycled
                    : ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment);
            return readChunk(into, size);
        });
        ahead.add(new Ahead(chunk, size));
        nextSize = Math.min(CHUNK, 4 * size);
    }

    /**
     * The alignment O_DIRECT needs for {@code file}: its file system's block size (a power of two
     * between 4 KiB and 1 MiB, else 4 KiB), which is a multiple of the disk's logical block.
     */
    static int alignmentFor(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            long size = Files.getFileStore(Files.exists(file) ? file : parent).getBlockSize();
            if (size >= DEFAULT_ALIGNMENT && size <= MOST_ALIGNMENT && Long.bitCount(size) == 1) {
                return (int) size;
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no block size to go by
        }
        return DEFAULT_ALIGNMENT;
    }

    /**
     * Opens {@code file} for one sequential read, direct where possible. Errors that are about
     * the file (missing, not readable) propagate as they would from {@link Files#newInputStream}.
     */
    public static InputStream open(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // EINVAL: this file system has no direct I/O; the page cache it is
            return Files.newInputStream(file);
        }
        return new DirectFileInput(channel, alignmentFor(file));
    }

    /** Whether {@code in} reads past the page cache (for tests). */
    static boolean isDirect(InputStream in) {
        return in instanceof DirectFileInput;
    }

    /** Serves the next chunk read ahead, and queues reads to keep the disk busy. */
    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (ended) {
            return false;
        }
        Ahead next = ahead.peek(); // taken off once read: a read that failed fails again if retried
        ByteBuffer chunk;
        try {
            chunk = next.chunk().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + channel);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException ? (IOException) cause : new IOException(cause.getMessage(), cause);
        }
        ahead.poll();
        if (buffer.capacity() > 0) {
            free.push(buffer);
        }
        buffer = chunk;
        served++;
        if (chunk.limit() < next.size()) {
            // a short chunk is the end of the file: the reads queued after it read nothing
            ended = true;
            dropQueuedReads();
        } else {
            while (ahead.size() < Math.min(MOST_AHEAD, served)) {
                queueRead();
            }
        }
        return buffer.hasRemaining();
    }

    private void dropQueuedReads() {
        ahead.forEach(queued -> queued.chunk().cancel(false));
        ahead.clear();
    }

    /**
     * Reads {@code size} bytes, or up to the end of the file, into {@code into}. Every read starts
     * at an aligned position (each size is a multiple of the alignment), so a read that ends off
     * the alignment, or reads nothing, is the end of the file.
     */
    private ByteBuffer readChunk(ByteBuffer into, int size) throws IOException {
        into.clear().limit(size);
        while (into.hasRemaining()) {
            int n = channel.read(into);
            if (n <= 0 || into.position() % alignment != 0) {
                break;
            }
        }
        return into.flip();
    }

    @Override
    public int read() throws IOException {
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(length, buffer.remaining());
        buffer.get(bytes, offset, n);
        return n;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        dropQueuedReads();
        reader.shutdownNow();
        channel.close();
    }
}
