package io.veles.internal.store;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that readers only ever see the old content or the complete new content: the
 * bytes go to a temporary file in the same directory, which is fsynced and then published under
 * its name; the directory is fsynced so that the new name itself survives a power loss.
 *
 * <p>{@link #writeNew} publishes by hard link, which fails rather than replace a file that has
 * the name: a snapshot once written is never replaced. {@link #write} renames over the target,
 * for files that are meant to be replaced (a download into a cache).
 *
 * <p>Temporary names are {@code .<name>.@<host>.<pid>.<random>.tmp}: hidden, never matching a
 * snapshot name, and carrying the writer's host and pid so that a later run can tell a crashed
 * writer's leftovers from a live writer's work in progress, on this host or another one sharing
 * the file system.
 */
public final class AtomicFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    private static final Pattern TEMPORARY = Pattern.compile("^\\..+\\.@([A-Za-z0-9-]+)\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$");
    /** Temporaries of earlier versions, without the host: whose they are cannot be told, so they are kept. */
    private static final Pattern HOSTLESS_TEMPORARY = Pattern.compile("^\\..+\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$");
    /** How many distinct names {@link #writeNew} tries before it gives up. */
    static final int MAX_NAMES = 1000;

    private AtomicFiles() {}

    /**
     * Writes {@code target} atomically and durably; returns the bytes written. If anything fails,
     * the temporary file is removed, {@code target} is untouched, and the failure propagates (file
     * system errors as a {@link SnapshotException} naming the path).
     */
    public static long write(Path target, BodyWriter body) {
        return throughTemporary(target, body, (temporary, written) -> {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return written;
        });
    }

    /** A file published by {@link #writeNew}: the name it got and the bytes written. */
    public record Published(Path file, long bytes) {}

    /**
     * Writes a new file durably under the first free name of {@code names} ({@code names.apply(0)}
     * is the wanted one, {@code names.apply(i)} the i-th alternative), never replacing a file:
     * the complete temporary is hard-linked to the name, which fails if the name is taken, even
     * by a writer racing this one. If anything fails, the temporary is removed, no name is taken,
     * and the failure propagates.
     */
    public static Published writeNew(IntFunction<Path> names, BodyWriter body) {
        Path wanted = names.apply(0);
        Path directory = parentOf(wanted);
        return throughTemporary(wanted, body, (temporary, written) -> {
            for (int attempt = 0; ; attempt++) {
                Path target = names.apply(attempt);
                if (!parentOf(target).equals(directory)) {
                    throw new IllegalArgumentException(target + " is not in " + directory);
                }
                if (publish(temporary, target)) {
                    Files.deleteIfExists(temporary);
                    return new Published(target, written);
                }
                if (attempt + 1 >= MAX_NAMES) {
                    throw new SnapshotException(
                            "cannot write " + wanted + ": it and " + (MAX_NAMES - 1) + " alternative names are taken");
                }
            }
        });
    }

    /** Gives a complete, fsynced temporary its final name; returns what the caller reports. */
    private interface Publication<T> {
        T publish(Path temporary, long written) throws IOException;
    }

    /**
     * The life of a temporary beside {@code target}: written and fsynced, handed to
     * {@code publication}, then the directory fsynced so that the new name survives a power
     * loss. Whatever fails, the temporary is removed and the failure propagates (file-system
     * errors as a {@link SnapshotException} naming {@code target}).
     */
    private static <T> T throughTemporary(Path target, BodyWriter body, Publication<T> publication) {
        Path directory = parentOf(target);
        Path temporary = directory.resolve(temporaryName(target.getFileName().toString()));
        InFlightWrites.started(temporary);
        try {
            T published = publication.publish(temporary, writeTemporary(temporary, body));
            fsyncDirectory(directory);
            return published;
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new SnapshotStoreException("cannot write " + target + ": " + describe(e), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temporary);
            throw e;
        } finally {
            InFlightWrites.ended(temporary);
        }
    }

    /**
     * Gives the complete {@code temporary} the name {@code target} unless it is taken; false if it
     * is. A hard link is atomic and fails on a taken name. Where the file system has no hard
     * links, a rename after a check is the fallback: it can lose a race only with a writer that
     * holds no prefix lock.
     */
    private static boolean publish(Path temporary, Path target) throws IOException {
        try {
            Files.createLink(target, temporary);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            LOG.debug("no hard link for {} ({}): renaming instead", target, e.getMessage());
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (IOException moveFailure) {
                moveFailure.addSuppressed(e);
                throw moveFailure;
            }
        }
    }

    /**
     * Writes {@code body} into a new {@code temporary} and forces it to the disk; returns the bytes.
     * The body may close the stream it is given (a codec's stream closes what it wraps): the file
     * stays open for the last bytes and the fsync, and is closed here.
     */
    private static long writeTemporary(Path temporary, BodyWriter body) throws IOException {
        try (DurableFileOutput out = DurableFileOutput.create(temporary)) {
            body.writeTo(CloseShieldOutputStream.wrap(out));
            return out.finish();
        }
    }

    /**
     * Points {@code link} at its sibling {@code targetFileName} atomically: a temporary link is
     * renamed over it, so that {@code link} is never missing or half-made.
     */
    public static void replaceSymlink(Path link, String targetFileName) {
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
            // A copy that followed the link (scp, cp -L, rsync without -l) left a snapshot under
            // the link's name: a snapshot is never replaced, so the link is not made.
            LOG.warn(
                    "{} is a file, not a link (a copy of a snapshot?): left as it is; the newest snapshot is {}",
                    link,
                    targetFileName);
            return;
        }
        Path directory = parentOf(link);
        Path temporary = directory.resolve(temporaryName(link.getFileName().toString()));
        try {
            Files.createSymbolicLink(temporary, Path.of(targetFileName));
            Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(directory);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new SnapshotStoreException("cannot point " + link + " at " + targetFileName + ": " + describe(e), e);
        }
    }

    /** Makes a directory's entries (new names, renames) durable. */
    public static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot sync directory " + directory + ": " + describe(e), e);
        }
    }

    /** True for the names this class gives its temporary files and links (and gave them before hosts were named). */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return TEMPORARY.matcher(name).matches()
                || HOSTLESS_TEMPORARY.matcher(name).matches();
    }

    /**
     * Deletes the temporaries in {@code directory} left by processes of this host that are gone;
     * those of live processes (this one included) and of other hosts (which this one cannot ask)
     * are left alone. Returns how many were deleted. Best effort: a temporary that cannot be
     * deleted (another user's, in a shared directory with the sticky bit) is left with a warning,
     * since failing would stop every later snapshot in the directory for a file that is no snapshot.
     */
    public static int deleteStaleTemporaries(Path directory) {
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher name = TEMPORARY.matcher(entry.getFileName().toString());
                // a number too long for any pid names no writer of ours: left alone, as another host's
                if (name.matches()
                        && name.group(1).equals(Host.name())
                        && name.group(2).length() <= 18
                        && !isAlive(Long.parseLong(name.group(2)))) {
                    try {
                        Files.deleteIfExists(entry);
                        LOG.debug("deleted {}, left by a writer that is gone", entry);
                        deleted++;
                    } catch (IOException e) {
                        LOG.warn("cannot delete {}, left by a writer that is gone: {}", entry, describe(e));
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return deleted;
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            // the write that follows reports a directory it cannot use, in its own words
            LOG.warn("cannot clean temporary files in {}: {}", directory, e.getMessage());
        }
        return deleted;
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** A temporary's name for {@code name} in its directory: hidden, and naming its host and process. */
    static String temporaryName(String name) {
        return "." + name + ".@" + Host.name() + "." + ProcessHandle.current().pid() + "."
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
    public static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof java.nio.file.NotDirectoryException) { // its message is the path alone
            return "not a directory";
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
}
