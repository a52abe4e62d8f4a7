package io.veles.snapshot.format;

import io.veles.errors.SnapshotException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Writes a code backup (a zip from a snapshot's author, so hostile until checked) into a
 * directory. Every entry is checked before anything is written: its path stays inside the
 * directory, no two entries name the same path, no path inside the directory is or passes
 * through a symbolic link, nothing is overwritten unless forced, and the expanded size stays
 * under a cap. Links are never followed while writing either, and if writing fails midway what
 * this extraction created is removed again.
 */
public final class CodeExtraction {
    /** The default cap on the expanded size of a code backup: far above any workflow's jar. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    /** The longest entry name taken: Linux's PATH_MAX, 4096 bytes. */
    static final int MAX_NAME_CHARS = 4096;

    /** The most characters the directories' paths may take in all (a jar of 10,000 classes takes about 2 MB). */
    static final long MAX_DIRECTORY_CHARS = 64L << 20;

    private final Path root;
    private final boolean overwrite;
    private final long maxBytes;

    /**
     * @param directory where to write
     * @param overwrite whether existing files may be replaced (never through a link)
     * @param maxBytes  the most bytes the entries may expand to, all together
     */
    public CodeExtraction(Path directory, boolean overwrite, long maxBytes) {
        this.root = directory.toAbsolutePath().normalize();
        this.overwrite = overwrite;
        this.maxBytes = maxBytes;
    }

    /** One entry, checked: where it goes and whether it is a directory. */
    private record Entry(String name, Path target, boolean directory) {}

    /** Checks every entry of {@code backup}, then writes them; returns how many files it wrote. */
    public int extract(byte[] backup) {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new SnapshotException(
                    "cannot write the code backup into " + root + ": it is a file, not a directory");
        }
        List<Entry> entries = check(backup);
        List<Path> created = new ArrayList<>();
        try {
            return write(backup, entries, created);
        } catch (IOException | RuntimeException e) {
            removeCreated(created);
            if (e instanceof SnapshotException s) {
                throw s;
            }
            throw new SnapshotException("cannot write the code backup into " + root + ": " + describe(e), e);
        }
    }

    /** Reads the whole zip once, without writing, and refuses it at the first bad entry. */
    private List<Entry> check(byte[] backup) {
        List<Entry> entries = new ArrayList<>();
        Map<Path, Boolean> seen = new HashMap<>(); // target -> is a directory
        Set<Path> directories = new HashSet<>(); // the entries' parent directories, checked once each
        long directoryChars = 0;
        long expanded = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(backup))) {
            for (ZipEntry zip = in.getNextEntry(); zip != null; zip = in.getNextEntry()) {
                Entry entry = resolve(zip);
                Boolean earlier = seen.put(entry.target(), entry.directory());
                if (earlier != null && !(earlier && entry.directory())) {
                    throw refused(
                            earlier == entry.directory()
                                    ? "the code backup holds the entry " + zip.getName() + " twice"
                                    : "the code backup holds " + zip.getName() + " both as a file and as a directory");
                }
                // Up to the first directory already met: a parent's own parents were checked with it.
                for (Path parent = entry.target().getParent();
                        !parent.equals(root) && directories.add(parent);
                        parent = parent.getParent()) {
                    directoryChars += parent.toString().length();
                    if (directoryChars > MAX_DIRECTORY_CHARS) { // each deep name's parents are copies
                        throw refused("the code backup's directories are named in more than " + MAX_DIRECTORY_CHARS
                                + " characters in all: no workflow's code is laid out so");
                    }
                    if (Boolean.FALSE.equals(seen.get(parent))) {
                        throw refused("the code backup holds " + root.relativize(parent)
                                + " both as a file and as a directory");
                    }
                }
                expanded += skip(in, maxBytes - expanded);
                if (expanded > maxBytes) {
                    throw refused("the code backup expands to more than " + maxBytes
                            + " bytes (the cap; raise it with --max-size)");
                }
                checkOnDisk(entry);
                entries.add(entry);
            }
        } catch (ZipException e) {
            throw refused("the code backup is not a readable zip: " + e.getMessage());
        } catch (IOException e) {
            throw new SnapshotException("cannot read the code backup: " + describe(e), e);
        }
        for (Entry entry : entries) {
            if (!entry.directory() && directories.contains(entry.target())) {
                throw refused("the code backup holds " + entry.name() + " both as a file and as a directory");
            }
        }
        return entries;
    }

    private Entry resolve(ZipEntry zip) {
        String name = zip.getName();
        if (name.length() > MAX_NAME_CHARS) { // no file system takes a longer path; each parent would be a copy
            throw refused("the code backup holds an entry whose name is longer than a path can be (" + MAX_NAME_CHARS
                    + " characters): " + name.substring(0, 60) + "...");
        }
        Path target;
        try {
            target = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw refused("the code backup holds an entry with an impossible name: " + name);
        }
        if (!target.startsWith(root) || target.equals(root) || Path.of(name).isAbsolute()) {
            throw refused("the code backup holds an entry outside its directory: " + name);
        }
        return new Entry(name, target, zip.isDirectory());
    }

    /**
     * Refuses an entry whose path inside the directory is, or passes through, a link or a file
     * where a directory is needed, and an existing file unless overwriting is allowed.
     */
    private void checkOnDisk(Entry entry) {
        Path relative = root.relativize(entry.target());
        Path path = root;
        for (int i = 0; i < relative.getNameCount(); i++) {
            path = path.resolve(relative.getName(i));
            boolean last = i == relative.getNameCount() - 1;
            if (Files.isSymbolicLink(path)) {
                throw refused("cannot write " + entry.name() + ": " + path + " is a symbolic link");
            }
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            boolean isDirectory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            if (!last && !isDirectory) {
                throw refused("cannot write " + entry.name() + ": " + path + " is not a directory");
            }
            if (last && entry.directory() != isDirectory) {
                throw refused("cannot write " + entry.name() + ": " + path + " exists and is "
                        + (isDirectory ? "a directory" : "not a directory"));
            }
            if (last && !isDirectory && !overwrite) {
                throw refused("cannot write " + entry.name() + ": " + path + " exists (--force replaces it)");
            }
        }
    }

    private int write(byte[] backup, List<Entry> entries, List<Path> created) throws IOException {
        int files = 0;
        long written = 0;
        byte[] buffer = new byte[64 << 10];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(backup))) {
            int index = 0;
            for (ZipEntry zip = in.getNextEntry(); zip != null; zip = in.getNextEntry(), index++) {
                Entry entry = entries.get(index); // the same bytes, read in the same order as checked
                makeDirectories(
                        entry.directory() ? entry.target() : entry.target().getParent(), created);
                if (entry.directory()) {
                    continue;
                }
                boolean existed = Files.exists(entry.target(), LinkOption.NOFOLLOW_LINKS);
                // NOFOLLOW_LINKS: a link planted since the check makes the open fail, not write through it
                try (OutputStream out = existed
                        ? Files.newOutputStream(
                                entry.target(),
                                LinkOption.NOFOLLOW_LINKS,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING)
                        : Files.newOutputStream(
                                entry.target(),
                                LinkOption.NOFOLLOW_LINKS,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.CREATE_NEW)) {
                    if (!existed) {
                        created.add(entry.target());
                    }
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        written += n;
                        if (written > maxBytes) {
                            throw refused("the code backup expands to more than " + maxBytes + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                }
                files++;
            }
        }
        return files;
    }

    /** Creates {@code directory} and its missing parents one by one, never through a link. */
    private void makeDirectories(Path directory, List<Path> created) throws IOException {
        Path relative = root.relativize(directory);
        Path path = root;
        Files.createDirectories(root); // the user named it: it may itself be a link they made
        for (int i = 0; i < relative.getNameCount() && !relative.toString().isEmpty(); i++) {
            path = path.resolve(relative.getName(i));
            if (Files.isSymbolicLink(path)) {
                throw refused("cannot write into " + path + ": it is a symbolic link");
            }
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(path); // fails if anything appeared there meanwhile
                created.add(path);
            }
        }
    }

    /** Reads and discards the current entry; returns its length, or more than {@code budget}. */
    private static long skip(InputStream in, long budget) throws IOException {
        byte[] buffer = new byte[64 << 10];
        long total = 0;
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            total += n;
            if (total > budget) {
                return total;
            }
        }
        return total;
    }

    /** Removes what this extraction created, newest first (files before their directories). */
    private static void removeCreated(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (DirectoryNotEmptyException ignored) {
                // something else wrote there meanwhile: keep it
            } catch (IOException ignored) {
                // the error that stopped the extraction is the one to report
            }
        }
    }

    private static SnapshotException refused(String message) {
        return new SnapshotException(message);
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException failure && failure.getReason() == null) {
            return failure.getClass().getSimpleName() + ": " + failure.getMessage(); // its message is the path alone
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
