package io.veles.internal.store;

import io.veles.errors.SnapshotLockedException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.util.Closeables;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The one live run allowed to write a prefix in a directory: an OS lock on
 * {@code <directory>/.<prefix>.lock}, whose text names the holder (run id, pid, host) so that a
 * refused run can say who it met. The OS drops the lock when its process dies, however it dies,
 * so a lock file left behind never blocks. The file is deleted only by its holder, while it still
 * holds the lock, with a directory made for its run that holds nothing else; a run that opened it
 * meanwhile locks the file then at the path instead (see {@link #lockFileAtPath}), so that two
 * runs never hold two files of one name.
 *
 * <p>Within one JVM the OS cannot tell two holders apart, and closing any channel on the file
 * would drop the lock, so locks held here are also kept in a table that is asked first.
 */
public final class PrefixLock implements AutoCloseable {
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean createdDirectory;

    private PrefixLock(Path file, FileChannel channel, FileLock lock, boolean createdDirectory) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.createdDirectory = createdDirectory;
    }

    /** The lock file for {@code prefix} in {@code directory}. */
    public static Path fileOf(Path directory, String prefix) {
        return directory.resolve("." + prefix + ".lock");
    }

    /**
     * Takes the lock for {@code prefix} in the existing {@code directory} for run {@code runId}, or
     * refuses with a {@link SnapshotLockedException} naming the run that holds it.
     * {@code createdDirectory}: the directory was made for this run, and goes again on
     * {@link #close} if nothing else was put in it.
     */
    public static PrefixLock acquire(Path directory, String prefix, String runId, boolean createdDirectory) {
        return acquire(directory, prefix, runId, createdDirectory, () -> {});
    }

    /**
     * As {@link #acquire(Path, String, String, boolean)}, running {@code beforeLock} between opening
     * the lock file and locking it: where a test makes the holder's {@link #close} happen.
     */
    static PrefixLock acquire(
            Path directory, String prefix, String runId, boolean createdDirectory, Runnable beforeLock) {
        Path file;
        try {
            file = fileOf(directory.toRealPath(), prefix);
        } catch (IOException e) {
            throw new SnapshotStoreException(
                    "cannot use snapshot directory " + directory + ": " + AtomicFiles.describe(e), e);
        }
        String holder = "run " + runId + ", pid " + ProcessHandle.current().pid() + " on host " + Host.name();
        String other = HELD_HERE.putIfAbsent(file, holder);
        if (other != null) {
            throw refused(directory, prefix, other);
        }
        FileChannel channel = null;
        try {
            Held held = lockFileAtPath(file, directory, prefix, beforeLock);
            channel = held.channel();
            FileLock lock = held.lock();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new PrefixLock(file, channel, lock, createdDirectory || held.madeDirectory());
        } catch (IOException e) {
            Closeables.closeQuietly(channel);
            HELD_HERE.remove(file);
            throw new SnapshotStoreException(
                    "cannot write " + fileOf(directory, prefix) + " (the lock of snapshot prefix '" + prefix + "'): "
                            + AtomicFiles.describe(e),
                    e);
        } catch (RuntimeException e) {
            Closeables.closeQuietly(channel);
            HELD_HERE.remove(file);
            throw e;
        }
    }

    /** An open lock file, the lock on it, and whether its directory had to be made again. */
    private record Held(FileChannel channel, FileLock lock, boolean madeDirectory) {}

    /**
     * Opens and locks the file at {@code file}, refusing when another process holds it. The file
     * may go between the open and the lock (a holder's close removes it with the directory it
     * made), and a lock on a removed file would not stop the next run: so the file at the path
     * must be the one opened, or it is opened again. A directory removed with it is made again.
     * Where the file system does not tell files apart ({@code fileKey} null, as on Windows) only a
     * file missing after the lock is noticed.
     */
    private static Held lockFileAtPath(Path file, Path directory, String prefix, Runnable beforeLock)
            throws IOException {
        boolean madeDirectory = false;
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createFile(file); // first, so that the file opened is one whose identity was read
            } catch (FileAlreadyExistsException e) {
                // the usual case: a lock file stays once made
            } catch (NoSuchFileException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                Files.createDirectories(file.getParent()); // removed by the run that made it, as it ended
                madeDirectory = true;
                continue;
            }
            Object opened = identityOf(file);
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                beforeLock.run();
                FileLock lock = tryLock(channel);
                if (lock == null) {
                    String text = read(channel);
                    throw refused(
                            directory, prefix, text.isEmpty() ? "another run (it has not named itself yet)" : text);
                }
                Object locked = identityOf(file);
                if (locked == UNKNOWN || (opened != MISSING && opened.equals(locked))) {
                    return new Held(channel, lock, madeDirectory);
                }
            } catch (IOException | RuntimeException e) {
                Closeables.closeQuietly(channel);
                throw e;
            }
            channel.close(); // and its lock, on a file no longer at the path
            if (attempt >= MAX_ATTEMPTS) {
                throw new IOException("the lock file was replaced " + MAX_ATTEMPTS + " times while being locked");
            }
        }
    }

    /** How many times {@link #acquire} opens the lock file again when it was replaced meanwhile. */
    private static final int MAX_ATTEMPTS = 8;

    /** {@link #identityOf}'s answer for a path where nothing is. */
    private static final Object MISSING = new Object();

    /** {@link #identityOf}'s answer where the file system does not tell files apart. */
    private static final Object UNKNOWN = new Object();

    /**
     * Which file is at {@code file} (device and inode on Linux), read without opening it: closing
     * any descriptor of a locked file would drop the lock this process holds on it.
     */
    private static Object identityOf(Path file) throws IOException {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key == null ? UNKNOWN : key;
        } catch (NoSuchFileException e) {
            return MISSING;
        }
    }

    /** The lock, or null when another process holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held in this JVM by a path the table did not know (e.g. another link to the directory)
        }
    }

    private static SnapshotLockedException refused(Path directory, String prefix, String holder) {
        return new SnapshotLockedException("snapshot prefix '" + prefix + "' in " + directory + " is in use by "
                + holder.strip() + ": wait for that run to end, or give another --snapshot-dir or --snapshot-prefix");
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        channel.read(buffer, 0);
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString().strip().replace('\n', ' ');
    }

    public Path file() {
        return file;
    }

    /**
     * Lets the next run have the prefix. A directory made for this run that holds nothing but
     * this lock is removed, so that a run that wrote nothing leaves nothing: the lock file goes
     * while the lock is still held, so that a run that opened it meanwhile is refused rather
     * than locking a file no longer there.
     */
    @Override
    public void close() {
        boolean removeDirectory = createdDirectory && holdsOnlyTheLock();
        try {
            if (removeDirectory) {
                Files.deleteIfExists(file);
            }
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        } finally {
            Closeables.closeQuietly(channel);
            HELD_HERE.remove(file);
        }
        if (removeDirectory) {
            try {
                Files.deleteIfExists(file.getParent());
            } catch (IOException ignored) {
                // another run put something there meanwhile: the directory is theirs now
            }
        }
    }

    private boolean holdsOnlyTheLock() {
        try (Stream<Path> entries = Files.list(file.getParent())) {
            return entries.allMatch(entry -> entry.getFileName().equals(file.getFileName()));
        } catch (IOException e) {
            return false;
        }
    }
}
