package io.veles.snapshot.store;

import io.veles.snapshot.SnapshotException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A directory of snapshot files {@code <prefix>_<suffix><ext>}, with a link
 * {@code <prefix>_current<ext>} to the newest. Files are written with {@link AtomicFiles}, and the
 * link moves only once the new file is complete and durable.
 */
public final class SnapshotDirectory {
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final String CURRENT = "current";

    private final Path directory;
    private boolean cleaned;

    public SnapshotDirectory(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** The file for a snapshot named {@code prefix_suffix}; refuses names that are not plain. */
    public Path fileFor(String prefix, String suffix, String extension) {
        checkPart("prefix", prefix);
        checkPart("suffix", suffix);
        if (suffix.equals(CURRENT)) {
            throw new SnapshotException("snapshot suffix 'current' is reserved for the link to the newest snapshot");
        }
        return directory.resolve(prefix + "_" + suffix + extension);
    }

    public Path currentLink(String prefix, String extension) {
        checkPart("prefix", prefix);
        return directory.resolve(prefix + "_" + CURRENT + extension);
    }

    /**
     * Writes a snapshot atomically, then points the {@code _current} link at it. Creates the
     * directory if needed; the first write also removes temporaries left by crashed writers.
     */
    public Path write(String prefix, String suffix, String extension, SnapshotBody body) {
        Path file = fileFor(prefix, suffix, extension);
        createDirectory();
        if (!cleaned) {
            AtomicFiles.deleteStaleTemporaries(directory);
            cleaned = true;
        }
        AtomicFiles.write(file, body);
        AtomicFiles.replaceSymlink(currentLink(prefix, extension), file.getFileName().toString());
        return file;
    }

    /** Snapshot files here (not links, temporaries or hidden files), oldest first. */
    public List<Path> snapshots() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(entry);
                }
            }
        } catch (IOException e) {
            throw new SnapshotException("cannot list " + directory + ": " + AtomicFiles.describe(e), e);
        }
        files.sort(Comparator.comparing(SnapshotDirectory::modified).thenComparing(Path::toString));
        return files;
    }

    /**
     * The snapshot file a user means by {@code path}: a file (or a link to one) as it is; for a
     * directory, the target of its newest {@code *_current*} link.
     */
    public static Path resolveSource(Path path) {
        if (Files.isSymbolicLink(path) && !Files.exists(path)) {
            throw new SnapshotException(path + ": link points at missing " + readLink(path));
        }
        if (!Files.exists(path)) {
            throw new SnapshotException("no such file or directory: " + path);
        }
        if (Files.isDirectory(path)) {
            return newestCurrent(path);
        }
        if (!Files.isReadable(path)) {
            throw new SnapshotException(path + " is not readable");
        }
        return path;
    }

    private static Path newestCurrent(Path directory) {
        Path newest = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*_" + CURRENT + "*")) {
            for (Path link : entries) {
                if (!Files.isSymbolicLink(link) || AtomicFiles.isTemporary(link)) {
                    continue;
                }
                Path target = link.resolveSibling(readLink(link));
                if (!Files.isRegularFile(target)) {
                    throw new SnapshotException(directory + ": link " + link.getFileName() + " points at missing " + target.getFileName());
                }
                if (newest == null || modified(target).compareTo(modified(newest)) > 0
                        || (modified(target).equals(modified(newest)) && target.toString().compareTo(newest.toString()) > 0)) {
                    newest = target;
                }
            }
        } catch (IOException e) {
            throw new SnapshotException("cannot list " + directory + ": " + AtomicFiles.describe(e), e);
        }
        if (newest == null) {
            throw new SnapshotException(directory + " is a directory with no snapshot (no *_current link)");
        }
        return newest;
    }

    private void createDirectory() {
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new SnapshotException("cannot use " + directory + " for snapshots: a file is in the way", e);
        } catch (IOException e) {
            throw new SnapshotException("cannot create snapshot directory " + directory + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static void checkPart(String what, String value) {
        if (value == null || !NAME_PART.matcher(value).matches()) {
            throw new SnapshotException("snapshot " + what + " '" + value
                    + "' must start with a letter or digit and hold only letters, digits, '.', '_', '+' and '-'");
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}
