package io.veles.internal.store;

import io.veles.errors.SnapshotStoreException;
import io.veles.snapshot.codec.Codec;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Keeps a verified download in a snapshot directory, under a name that replaces nothing: the
 * server's name when it is free, else the same with {@code .1}, {@code .2}, ... before the
 * extension. A name that would be a {@code _current} link gets {@code _downloaded} instead, so
 * that a download never moves the link to the newest snapshot. The file appears whole (a hard
 * link to a complete, synced copy), and no existing file or link is touched.
 */
public final class DownloadedSnapshots {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final int MAX_TRIES = 1000;

    private DownloadedSnapshots() {}

    /** Copies {@code verified} into {@code directory}; returns where it landed. */
    public static Path keep(Path verified, String serverName, Path directory) {
        String name = localName(serverName);
        String extension = Codec.fromFileName(name).extension();
        String stem = name.substring(0, name.length() - extension.length());
        try {
            Files.createDirectories(directory);
            // A copy a killed download left (as large as the snapshot) is reclaimed by the next
            // one here, or by a snapshotter writing here: it is named as AtomicFiles names them.
            AtomicFiles.deleteStaleTemporaries(directory);
            Path copy = directory.resolve(AtomicFiles.temporaryName(name));
            try {
                for (int i = 0; i < MAX_TRIES; i++) {
                    Path target = directory.resolve(i == 0 ? name : stem + "." + i + extension);
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                                && Files.mismatch(target, verified) == -1) {
                            return target; // the same snapshot, downloaded before
                        }
                        continue;
                    }
                    if (!Files.exists(copy, LinkOption.NOFOLLOW_LINKS)) {
                        Files.copy(verified, copy);
                        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                            channel.force(true);
                        }
                    }
                    try {
                        Files.createLink(target, copy); // fails, rather than replaces, if the name was taken meanwhile
                    } catch (FileAlreadyExistsException taken) {
                        continue;
                    }
                    AtomicFiles.fsyncDirectory(directory);
                    return target;
                }
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot keep the download in " + directory + ": " + e.getMessage(), e);
        }
        throw new SnapshotStoreException(
                "cannot keep the download in " + directory + ": " + name + " and its numbered variants are all taken");
    }

    /** The server's name if it is a plain file name, never a {@code _current} one. */
    static String localName(String serverName) {
        String name = serverName == null || !SAFE_NAME.matcher(serverName).matches() ? "download" : serverName;
        String extension = Codec.fromFileName(name).extension();
        String stem = name.substring(0, name.length() - extension.length());
        if (stem.endsWith("_current")) {
            stem = stem.substring(0, stem.length() - "_current".length()) + "_downloaded";
        }
        return stem + extension;
    }
}
