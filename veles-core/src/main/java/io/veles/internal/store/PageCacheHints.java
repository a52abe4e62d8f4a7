package io.veles.internal.store;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Tells Linux's page cache how a file being written from start to end will be used: start writing
 * each stretch to the disk as soon as it is written ({@code sync_file_range}), and forget stretches
 * once they are on the disk ({@code posix_fadvise(DONTNEED)}), so that a file of any size holds
 * at most {@link #WINDOW} plus {@link #STEP} bytes of cache and the writer reuses the same pages.
 *
 * <p>Hints only: they change when the kernel does its work, never what the file holds, and the
 * caller still fsyncs. Where they cannot be given (not 64-bit Linux, no JNA, a call refused) the
 * writer goes on without them. One exception: a failed writeback that the wait reports (EIO,
 * ENOSPC, EDQUOT, EROFS) fails the write, since kernels before 4.13 keep one error flag per file
 * and the wait would clear it before the writer's fsync could see it. They act on the file's
 * cache, not on a descriptor, so this class opens its own read-only descriptor beside the
 * writer's {@code FileChannel}.
 */
final class PageCacheHints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PageCacheHints.class);

    /** Bytes written before their writeback is started. */
    static final long STEP = 8L << 20;
    /** Bytes written but not yet forgotten: the cache this file holds at most (plus one step). */
    static final long WINDOW = 32L << 20;

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    private static final int SYNC_FILE_RANGE_WRITE = 2;
    private static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final int EBADF = 9;
    /** Errors of the writeback itself, as opposed to a hint the file system refuses. */
    private static final Set<Integer> WRITE_ERRORS =
            Set.of(5 /* EIO */, 28 /* ENOSPC */, 122 /* EDQUOT */, 30 /* EROFS */);

    /** libc's calls, as in their man pages. */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int sync_file_range(int fd, long offset, long bytes, int flags) throws LastErrorException;

        /** Returns the error number itself, not -1 and errno. */
        int posix_fadvise(int fd, long offset, long length, int advice);

        int close(int fd) throws LastErrorException;
    }

    private static final LibC LIBC = load();

    private final Path file;
    private int fd;
    /** Where the writeback started so far ends. */
    private long started;
    /** Where the stretch already forgotten ends. */
    private long forgotten;

    private PageCacheHints(Path file, int fd) {
        this.file = file;
        this.fd = fd;
    }

    /**
     * libc, or null where the calls are not there: a descriptor that cannot be valid must be
     * refused as such (EBADF), which a missing or stubbed {@code sync_file_range} does not do.
     */
    private static LibC load() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return null; // 32-bit off_t would need the calls' 64 variants
        }
        try {
            LibC libc = Native.load("c", LibC.class);
            try {
                libc.sync_file_range(-1, 0, 0, 0);
            } catch (LastErrorException e) {
                return e.getErrorCode() == EBADF ? libc : null;
            }
            return null;
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("no page cache hints: {}", e.toString());
            return null;
        }
    }

    /** Whether this machine takes the hints. */
    static boolean available() {
        return LIBC != null;
    }

    /**
     * File systems whose {@code sync_file_range} starts and waits for the writeback of the very
     * pages written. Elsewhere it may act on nothing: overlayfs (a container's usual root)
     * passes writes to the file beneath but keeps an empty cache of its own, and NFS keeps pages
     * it has not committed, so the cache would grow as if no hint were given.
     */
    private static final Set<String> FILE_SYSTEMS = Set.of("ext4", "ext3", "xfs", "btrfs");

    /** Whether a new {@code file} would be on a file system where the hints act. */
    static boolean suitFileSystemOf(Path file) {
        if (LIBC == null) {
            return false;
        }
        try {
            return FILE_SYSTEMS.contains(
                    Files.getFileStore(file.toAbsolutePath().getParent()).type());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Hints for {@code file}, just created by the writer; null where they cannot be given. */
    static PageCacheHints open(Path file) {
        if (LIBC == null) {
            return null;
        }
        try {
            return new PageCacheHints(file, LIBC.open(file.toAbsolutePath().toString(), O_RDONLY | O_CLOEXEC));
        } catch (LastErrorException e) {
            LOG.debug("no page cache hints for {}: {}", file, e.getMessage());
            return null;
        }
    }

    /**
     * The file now holds {@code end} bytes: starts writing every whole step not yet started, and
     * waits for and forgets what lies more than {@link #WINDOW} behind. The wait is what keeps the
     * writer from running ahead of the disk with ever more cache.
     *
     * @throws IOException if the writeback waited for failed
     */
    void written(long end) throws IOException {
        if (fd < 0 || end - started < STEP) {
            return;
        }
        try {
            LIBC.sync_file_range(fd, started, end - started, SYNC_FILE_RANGE_WRITE);
            started = end;
            long forgetUpTo = end - WINDOW;
            if (forgetUpTo > forgotten) {
                LIBC.sync_file_range(
                        fd,
                        forgotten,
                        forgetUpTo - forgotten,
                        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
                LIBC.posix_fadvise(fd, forgotten, forgetUpTo - forgotten, POSIX_FADV_DONTNEED);
                forgotten = forgetUpTo;
            }
        } catch (LastErrorException e) {
            if (WRITE_ERRORS.contains(e.getErrorCode())) {
                throw new IOException(strerror(e), e);
            }
            giveUp(e);
        }
    }

    /** JNA's message without its "[errno] " prefix, as the JDK words the same error. */
    private static String strerror(LastErrorException e) {
        String message = e.getMessage();
        int bracket = message.indexOf("] ");
        return message.startsWith("[") && bracket > 0 ? message.substring(bracket + 2) : message;
    }

    /** After the fsync: forgets the whole file, which is clean now and not read again by this writer. */
    void forgetAll() {
        if (fd >= 0) {
            LIBC.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        }
    }

    /** A refused hint: the writer goes on without them (an I/O error shows in its own write or fsync). */
    private void giveUp(LastErrorException e) {
        LOG.debug("page cache hints for {} stopped: {}", file, e.getMessage());
        close();
    }

    @Override
    public void close() {
        if (fd >= 0) {
            int closing = fd;
            fd = -1;
            try {
                LIBC.close(closing);
            } catch (LastErrorException e) {
                LOG.debug("closing the hint descriptor of {}: {}", file, e.getMessage());
            }
        }
    }
}
