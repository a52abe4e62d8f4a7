package io.veles.internal.store;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.snapshot.codec.Codec;

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
 *
 * <p>A snapshot file is never replaced: a name that is taken (by another run, or by this run
 * before it was resumed) gets a distinct one, {@code <prefix>_<suffix>+<discriminator>[-n]<ext>}.
 * The {@code _current} link is the only name that is ever replaced.
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
        String name = prefix + "_" + suffix + extension;
        Codec named = Codec.fromFileName(name);
        String stem = name.substring(0, name.length() - named.extension().length());
        if (stem.endsWith("_" + CURRENT)) {
            // another prefix's or codec's link name (prefix a, suffix b_current: a_b_current.gz is
            // prefix a_b's link; no codec, suffix current.gz: the gz link), which its writer
            // could then no longer move, and a resume would take for that prefix's newest
            throw new SnapshotException("snapshot name " + name + " is the name of a link to a newest snapshot:"
                    + " a suffix may not end in '" + CURRENT + "'");
        }
        return directory.resolve(name);
    }

    public Path currentLink(String prefix, String extension) {
        checkPart("prefix", prefix);
        return directory.resolve(prefix + "_" + CURRENT + extension);
    }

    /**
     * The suffix of the {@code attempt}-th name for a snapshot: {@code suffix} itself, then
     * {@code suffix+<discriminator>}, then {@code suffix+<discriminator>-2}, ... (without a
     * discriminator: {@code suffix+2}, {@code suffix+3}, ...).
     */
    public static String alternativeSuffix(String suffix, String discriminator, int attempt) {
        if (attempt == 0) {
            return suffix;
        }
        if (discriminator == null || discriminator.isEmpty()) {
            return suffix + "+" + (attempt + 1);
        }
        return suffix + "+" + discriminator + (attempt == 1 ? "" : "-" + attempt);
    }

    /**
     * The suffix under which a snapshot would be written now: {@code suffix} if that file is
     * free, else the first free {@link #alternativeSuffix}. Only a name checks is taken; a racing
     * writer is caught by {@link #write}, which never replaces.
     */
    public String freeSuffix(String prefix, String suffix, String extension, String discriminator) {
        for (int attempt = 0; attempt < AtomicFiles.MAX_NAMES; attempt++) {
            String candidate = alternativeSuffix(suffix, discriminator, attempt);
            Path file = fileFor(prefix, candidate, extension);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
        throw new SnapshotException("cannot name a snapshot " + fileFor(prefix, suffix, extension) + ": it and "
                + (AtomicFiles.MAX_NAMES - 1) + " alternative names are taken");
    }

    /** As {@link #write(String, String, String, String, BodyWriter)} with numbered alternatives. */
    public Path write(String prefix, String suffix, String extension, BodyWriter body) {
        return write(prefix, suffix, extension, null, body).file();
    }

    /**
     * Writes a snapshot atomically under {@code prefix_suffix}, or, if that name is taken, the
     * first free {@link #alternativeSuffix}, never replacing a file; then points the
     * {@code _current} link at it. Creates the directory if needed; the first write also removes
     * temporaries left by crashed writers. Returns the file written and its size.
     */
    public AtomicFiles.Published write(
            String prefix, String suffix, String extension, String discriminator, BodyWriter body) {
        return write(prefix, suffix, extension, discriminator, body, true);
    }

    /** As {@link #write(String, String, String, String, BodyWriter)}; the link moves only if {@code link}. */
    public AtomicFiles.Published write(
            String prefix, String suffix, String extension, String discriminator, BodyWriter body, boolean link) {
        fileFor(prefix, suffix, extension); // refuses names that are not plain before anything is written
        createDirectory();
        if (!cleaned) {
            AtomicFiles.deleteStaleTemporaries(directory);
            cleaned = true;
        }
        AtomicFiles.Published published = AtomicFiles.writeNew(
                attempt -> fileFor(prefix, alternativeSuffix(suffix, discriminator, attempt), extension), body);
        if (link) {
            AtomicFiles.replaceSymlink(
                    currentLink(prefix, extension),
                    published.file().getFileName().toString());
        }
        return published;
    }

    /**
     * Takes the lock that lets one live run at a time write {@code prefix} here (creating the
     * directory), or refuses naming the run that holds it.
     */
    public PrefixLock lock(String prefix, String runId) {
        checkPart("prefix", prefix);
        boolean existed = Files.isDirectory(directory);
        createDirectory();
        return PrefixLock.acquire(directory, prefix, runId, !existed);
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
            throw new SnapshotStoreException("cannot list " + directory + ": " + AtomicFiles.describe(e), e);
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
        Path followed = followLink(path);
        // a link to a file beside it (a _current link) keeps its own name in messages
        return followed.equals(path.resolveSibling(followed.getFileName())) ? path : followed;
    }

    /**
     * The file {@code path} names: itself, or for a link, the file at its end. A link to a bare
     * name beside it (as a {@code _current} link is) gives that file, named in the link's
     * directory; any other link gives its target's real path, so that a link to a snapshot
     * elsewhere reads that snapshot, and finds its chain's bases beside it, not a file of the same
     * name beside the link.
     */
    public static Path followLink(Path path) {
        if (!Files.isSymbolicLink(path)) {
            return path;
        }
        try {
            Path target = Files.readSymbolicLink(path);
            Path sibling = path.resolveSibling(target);
            if (target.getParent() == null && !Files.isSymbolicLink(sibling)) {
                return sibling;
            }
            return path.toRealPath();
        } catch (IOException e) {
            throw new SnapshotException(path + ": cannot follow the link: " + AtomicFiles.describe(e), e);
        }
    }

    private static Path newestCurrent(Path directory) {
        List<Current> currents = currents(directory);
        if (currents.isEmpty()) {
            throw new SnapshotException(directory + " is a directory with no snapshot (no *_current link)");
        }
        for (Current current : currents) {
            if (current.target() == null) {
                throw new SnapshotException(directory + ": link "
                        + current.link().getFileName() + " points at missing " + readLink(current.link()));
            }
        }
        return currents.get(0).target();
    }

    /**
     * A {@code _current} link and the snapshot file it points at.
     *
     * @param target the file, or null when the link points at no regular file
     */
    public record Current(Path link, Path target) {}

    /**
     * The {@code *_current*} links of {@code directory} with their targets, newest target first
     * (links to missing files last). Each prefix and codec has its own link, so this names the
     * newest snapshot of each.
     */
    public static List<Current> currents(Path directory) {
        List<Current> currents = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*_" + CURRENT + "*")) {
            for (Path link : entries) {
                if (!Files.isSymbolicLink(link) || AtomicFiles.isTemporary(link)) {
                    continue;
                }
                Path target = Files.isRegularFile(link) ? followLink(link) : null; // a link to a missing file: null
                currents.add(new Current(link, target));
            }
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot list " + directory + ": " + AtomicFiles.describe(e), e);
        }
        Comparator<Path> newestFirst = Comparator.comparing(SnapshotDirectory::modified)
                .thenComparing(Path::toString)
                .reversed();
        currents.sort(Comparator.comparing(Current::target, Comparator.nullsLast(newestFirst))
                .thenComparing(current -> current.link().toString()));
        return currents;
    }

    private void createDirectory() {
        try {
            Path absolute = directory.toAbsolutePath();
            Path firstMade = null;
            for (Path missing = absolute; missing != null && Files.notExists(missing); missing = missing.getParent()) {
                firstMade = missing;
            }
            Files.createDirectories(directory);
            // each new directory's name made durable in its parent, as a snapshot's name is in its
            // directory: else a power cut could take a snapshot reported durable with its directory
            for (Path made = absolute; firstMade != null; made = made.getParent()) {
                AtomicFiles.fsyncDirectory(made.getParent());
                if (made.equals(firstMade)) {
                    break;
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new SnapshotStoreException("cannot use " + directory + " for snapshots: a file is in the way", e);
        } catch (IOException e) {
            throw new SnapshotStoreException(
                    "cannot create snapshot directory " + directory + ": " + AtomicFiles.describe(e), e);
        }
    }

    /**
     * True if {@code name} can name a file here as a snapshot's name does: one plain path element
     * (a manifest's name comes from the file, and may be forged to climb out of a directory).
     */
    public static boolean isPlainName(String name) {
        return name != null && NAME_PART.matcher(name).matches();
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
