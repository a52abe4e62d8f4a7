package io.veles.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Temporary files in use by this process, deleted by one shutdown hook if the JVM ends first (a
 * SIGINT mid-download ends it before the finally blocks that delete them run). Not {@link
 * java.io.File#deleteOnExit}: that keeps every path ever marked for the JVM's whole life, so a
 * server restoring from web addresses would grow by one entry per restore.
 */
public final class TemporaryFiles {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private TemporaryFiles() {}

    /** Marks {@code file} for deletion at the JVM's end unless {@link #delete} comes first; returns it. */
    public static Path track(Path file) {
        if (HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(TemporaryFiles::deleteAll, "veles-temporary-files"));
            } catch (IllegalStateException shuttingDown) {
                // asked from another shutdown hook (a host's final snapshot): the caller deletes it itself
            }
        }
        LIVE.add(file);
        return file;
    }

    /** Forgets {@code file}, which is gone or is kept (moved into place, say): the hook leaves it. */
    public static void forget(Path file) {
        LIVE.remove(file);
    }

    /** Deletes {@code file} now and forgets it. */
    public static void delete(Path file) throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            LIVE.remove(file);
        }
    }

    /** How many files are tracked now (for tests). */
    static int tracked() {
        return LIVE.size();
    }

    private static void deleteAll() {
        for (Path file : LIVE) {
            try (java.util.stream.Stream<Path> tree = Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    ? Files.walk(file)
                    : java.util.stream.Stream.of(file)) {
                for (Path each : (Iterable<Path>) tree.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(each); // a directory's entries first (an npy export's temporary)
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // the JVM is ending: nothing is left to tell
            }
        }
    }
}
