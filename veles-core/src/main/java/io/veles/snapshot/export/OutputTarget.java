package io.veles.snapshot.export;

import io.veles.errors.SnapshotException;
import io.veles.internal.store.NeverReplaced;
import io.veles.internal.store.TemporaryFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where an export or import goes: written under a temporary name beside it, then moved into place
 * in one step, so that a failure leaves nothing behind and a reader never sees half a file. An
 * existing output is refused unless {@code force}; even then a file never replaces a directory or
 * the other way round, and a directory is replaced only when it is an earlier export (it holds
 * {@code __metadata__.json}) and holds nothing else an export does not write, so that neither a
 * mistyped {@code -o} nor files put into an export since can delete someone's data.
 */
public final class OutputTarget {
    private final Path target;
    private final boolean force;
    private final Path temporary;

    public OutputTarget(Path target, boolean force) {
        this(target, force, false);
    }

    /** {@code directory}: the output is a directory (npy), not a file. */
    public OutputTarget(Path target, boolean force, boolean directory) {
        this.target = target.toAbsolutePath().normalize();
        this.force = force;
        if (Files.exists(this.target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!force) {
                throw new SnapshotException(target + " exists; --force replaces it");
            }
            NeverReplaced.check(target, this.target);
            boolean isDirectory = Files.isDirectory(this.target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (isDirectory != directory) {
                throw new SnapshotException(target + " is " + (isDirectory ? "a directory" : "not a directory")
                        + "; not replaced, even with --force");
            }
            if (directory) {
                checkOnlyExported(target, this.target);
            }
        }
        Path parent = this.target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new SnapshotException("cannot write " + target + ": "
                    + (parent != null && Files.exists(parent)
                            ? parent + " is a file, not a directory"
                            : "its directory does not exist"));
        }
        // removed at the JVM's end unless committed or discarded first (Ctrl-C mid-export)
        temporary = TemporaryFiles.track(parent.resolve("." + this.target.getFileName() + ".tmp-" + UUID.randomUUID()));
    }

    /**
     * Refuses to replace a directory that holds anything an export does not write: one with
     * {@code __metadata__.json} is an earlier export, but a user may have put snapshots (the one
     * being exported, even) or notes in it since, and replacing the directory would delete them.
     */
    private static void checkOnlyExported(Path named, Path directory) {
        if (!Files.exists(directory.resolve(NpzWriter.METADATA_ENTRY))) {
            throw new SnapshotException(named + " is not an earlier export (it has no " + NpzWriter.METADATA_ENTRY
                    + "); not replaced, even with --force");
        }
        List<String> foreign = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.filter(entry -> !isExported(entry))
                    .map(entry -> entry.getFileName().toString())
                    .sorted()
                    .forEach(foreign::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + named, e);
        }
        if (!foreign.isEmpty()) {
            throw new SnapshotException(named + " holds files an export does not write ("
                    + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                    + (foreign.size() > 3 ? " and " + (foreign.size() - 3) + " more" : "")
                    + "); not replaced, even with --force");
        }
    }

    /** What an npy export writes: its metadata and one .npy file per array, no directories or links. */
    private static boolean isExported(Path entry) {
        String name = entry.getFileName().toString();
        return Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && (name.equals(NpzWriter.METADATA_ENTRY) || name.endsWith(".npy"));
    }

    public Path path() {
        return target;
    }

    /** The directory the output goes to: spill files go there too, on the same disk. */
    public Path directory() {
        return target.getParent();
    }

    /** The name to write to first. */
    public Path temporary() {
        return temporary;
    }

    /**
     * Moves the written temporary into place. An existing output is replaced only with force; an
     * earlier export directory is moved aside first, and back should the move fail.
     */
    public void commit() throws IOException {
        commitInPlace();
        TemporaryFiles.forget(temporary);
    }

    private void commitInPlace() throws IOException {
        if (!force) {
            moveWithoutReplacing();
        } else if (Files.isDirectory(target)) {
            checkOnlyExported(target, target); // again: files may have been put there while this ran
            Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                replace();
            } catch (IOException | RuntimeException e) {
                try {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException back) {
                    e.addSuppressed(back);
                }
                throw e;
            }
            deleteTree(old);
        } else {
            replace();
        }
    }

    private void replace() throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Without force, an output made since the constructor looked (by another process) is not
     * replaced: a rename would replace a file in one step, so a file is linked in place instead,
     * which fails on an existing name.
     */
    private void moveWithoutReplacing() throws IOException {
        try {
            if (Files.isDirectory(temporary) || !linkedInPlace()) {
                Files.move(temporary, target); // checks the name is free first
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new SnapshotException(target + " was made while this ran, and is kept; --force replaces it");
        }
    }

    /** Links the temporary file in place and drops its name; false where the file system has no hard links. */
    private boolean linkedInPlace() throws IOException {
        try {
            Files.createLink(target, temporary);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            return false;
        }
        Files.delete(temporary);
        return true;
    }

    /** Removes what a failed write left under the temporary name. */
    public void discard() {
        try {
            deleteTree(temporary);
            TemporaryFiles.forget(temporary);
        } catch (IOException | UncheckedIOException e) {
            // best effort: the name is hidden and unique (and the JVM's end tries again)
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
