package io.veles.snapshot.store;

import io.veles.snapshot.SnapshotException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files so that readers only ever see the old content or the complete new content: the
 * bytes go to a temporary file in the same directory, which is fsynced and then renamed over the
 * target; the directory is fsynced so that the rename itself survives a power loss.
 *
 * <p>Temporary names are {@code .<name>.<pid>.<random>.tmp}: hidden, never matching a snapshot
 * name, and carrying the writer's pid so that a later run can tell a crashed writer's leftovers
 * from a live writer's work in progress.
 */
public final class AtomicFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    private static final Pattern TEMPORARY = Pattern.compile("^\\..+\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$");
    /** The largest single write: larger ones make the JDK allocate native buffers as large. */
    static final int MAX_WRITE = 1 << 20;

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically and durably; returns the bytes written. If anything fails,
     * the temporary file is removed, {@code target} is untouched, and the failure propagates (file
     * system errors as a {@link SnapshotException} naming the path).
     */
    public static long write(Path target, SnapshotBody body) {
        Path directory = parentOf(target);
        Path temporary = directory.resolve(temporaryName(target.getFileName().toString()));
        InFlightWrites.started(temporary, target);
        try {
            long written;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ChannelOutput out = new ChannelOutput(channel);
                body.writeTo(out);
                out.flush();
                channel.force(true);
                written = out.written;
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(directory);
            return written;
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new SnapshotException("cannot write " + target + ": " + describe(e), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temporary);
            throw e;
        } finally {
            InFlightWrites.ended(temporary);
        }
    }

    /**
     * Points {@code link} at its sibling {@code targetFileName} atomically: a temporary link is
     * renamed over it, so that {@code link} is never missing or half-made.
     */
    public static void replaceSymlink(Path link, String targetFileName) {
        Path directory = parentOf(link);
        Path temporary = directory.resolve(temporaryName(link.getFileName().toString()));
        try {
            Files.createSymbolicLink(temporary, Path.of(targetFileName));
            Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(directory);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new SnapshotException("cannot point " + link + " at " + targetFileName + ": " + describe(e), e);
        }
    }

    /** Makes a directory's entries (new names, renames) durable. */
    public static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new SnapshotException("cannot sync directory " + directory + ": " + describe(e), e);
        }
    }

    /** True for the names this class gives its temporary files and links. */
    public static boolean isTemporary(Path file) {
        return TEMPORARY.matcher(file.getFileName().toString()).matches();
    }

    /**
     * Deletes the temporaries in {@code directory} left by processes that are gone; those of live
     * processes (this one included) are left alone. Returns how many were deleted.
     */
    public static int deleteStaleTemporaries(Path directory) {
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher name = TEMPORARY.matcher(entry.getFileName().toString());
                if (name.matches() && !isAlive(Long.parseLong(name.group(1)))) {
                    Files.deleteIfExists(entry);
                    LOG.debug("deleted {}, left by a writer that is gone", entry);
                    deleted++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new SnapshotException("cannot clean temporary files in " + directory + ": " + describe(e), e);
        }
        return deleted;
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String temporaryName(String name) {
        return "." + name + "." + ProcessHandle.current().pid() + "."
                + String.format("%08x", ThreadLocalRandom.current().nextInt()) + ".tmp";
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            throw new SnapshotException("no directory for " + file);
        }
        return parent;
    }

    /** A file system error for people: "No space left on device", "permission denied: ...". */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the original failure is what matters; a stale temporary is cleaned up later
        }
    }

    /** Writes to a channel in pieces of at most {@link #MAX_WRITE}; close() only flushes. */
    private static final class ChannelOutput extends OutputStream {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_WRITE);
        private long written;

        ChannelOutput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                int n = Math.min(length, buffer.remaining());
                buffer.put(bytes, offset, n);
                offset += n;
                length -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                written += channel.write(buffer);
            }
            buffer.clear();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
