package io.veles.snapshot.store;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.store.AtomicFiles;
import io.veles.internal.store.DirectFileInput;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.snapshot.codec.Codec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Snapshots as files {@code <prefix>_<suffix><ext>} of a directory ({@link SnapshotDirectory}),
 * with a {@code <prefix>_current<ext>} link to each prefix's newest, written atomically and never
 * replaced ({@link AtomicFiles}); a file is pinned by a hidden {@code .<file>.pin} marker beside
 * it, and one live run writes a prefix at a time ({@code PrefixLock}). A handle's key is the file's
 * name in this directory.
 */
public final class DirectoryStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryStore.class);
    private static final String PIN_PREFIX = ".";
    private static final String PIN_SUFFIX = ".pin";
    private static final String CURRENT_LINK = "_current";

    private final SnapshotDirectory directory;

    public DirectoryStore(Path directory) {
        this.directory = new SnapshotDirectory(directory);
    }

    public Path directory() {
        return directory.directory();
    }

    @Override
    public String describe() {
        return directory().toString();
    }

    /** The file that holds {@code snapshot}. */
    public Path fileOf(StoredSnapshot snapshot) {
        return directory().resolve(snapshot.key());
    }

    /**
     * The handle of {@code file}: a snapshot file of this directory, or a link to one (the file it
     * points at). A link to a file in another directory is refused: this store would look for the
     * file, and its chain's bases, here.
     */
    public StoredSnapshot handleOf(Path file) {
        Path target = SnapshotDirectory.followLink(file);
        Path parent = target.getParent() == null ? Path.of("") : target.getParent();
        try {
            if (!Files.isSameFile(parent, directory())) {
                throw new SnapshotException(
                        file + " points at " + target + ", outside " + directory() + ": name that file itself");
            }
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        return handle(target, target.toString(), size(target));
    }

    private StoredSnapshot handle(Path file, String location, long bytes) {
        String key = file.getFileName().toString();
        Codec codec = Codec.fromFileName(key);
        String name = key.substring(0, key.length() - codec.extension().length());
        return new StoredSnapshot(
                key, name, modified(file), bytes, null, codec == Codec.NONE ? null : codec.argument(), location);
    }

    /** A key is a file name of this directory. */
    @Override
    public boolean holds(String key) {
        return Files.isRegularFile(directory().resolve(key));
    }

    /** Refuses a directory that is missing or a file, in one line. */
    @Override
    public List<StoredSnapshot> list() {
        Path path = directory();
        if (!Files.isDirectory(path)) {
            throw new SnapshotException(
                    Files.exists(path) ? path + " is not a directory" : "no such directory: " + path);
        }
        List<StoredSnapshot> snapshots = new ArrayList<>();
        for (Path file : directory.snapshots()) {
            snapshots.add(handle(file, file.toString(), size(file)));
        }
        return snapshots;
    }

    @Override
    public InputStream open(StoredSnapshot snapshot) {
        Path file = fileOf(snapshot);
        try {
            return DirectFileInput.open(file);
        } catch (NoSuchFileException e) {
            // deleted since it was listed (a run's retention): nothing is left to read, or to protect
            throw new SnapshotException(snapshot.location() + " is gone: deleted since it was listed", e);
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + snapshot.location() + ": " + AtomicFiles.describe(e), e);
        }
    }

    /**
     * Writes {@code <prefix>_<suffix><ext>}, or, where that name is taken, the first free
     * alternative ({@link SnapshotDirectory#alternativeSuffix}), never replacing a file; then
     * points the prefix's {@code _current} link at it. The first write also removes temporaries
     * that crashed writers of this host left.
     */
    @Override
    public StoredSnapshot write(NewSnapshot snapshot, SnapshotBody body) {
        return write(snapshot, body, true);
    }

    /** As {@link #write}, without pointing the prefix's {@code _current} link at the copy. */
    @Override
    public StoredSnapshot writeCopy(NewSnapshot snapshot, SnapshotBody body) {
        return write(snapshot, body, false);
    }

    private StoredSnapshot write(NewSnapshot snapshot, SnapshotBody body, boolean newest) {
        String extension = snapshot.codec().extension();
        AtomicFiles.Published published = directory.write(
                snapshot.prefix(), snapshot.suffix(), extension, snapshot.discriminator(), body::writeTo, newest);
        Path wanted = directory.fileFor(snapshot.prefix(), snapshot.suffix(), extension);
        if (!published.file().equals(wanted)) {
            LOG.info("snapshot name {} was taken while it was written: this one is {}", wanted, published.file());
        }
        return handle(published.file(), published.file().toString(), published.bytes());
    }

    /** {@code wanted}, or where its file exists, the first free alternative ({@link SnapshotDirectory#freeSuffix}); logged. */
    @Override
    public NewSnapshot freeName(NewSnapshot wanted) {
        String suffix = directory.freeSuffix(
                wanted.prefix(), wanted.suffix(), wanted.codec().extension(), wanted.discriminator());
        if (suffix.equals(wanted.suffix())) {
            return wanted;
        }
        NewSnapshot distinct = wanted.withSuffix(suffix);
        LOG.info(
                "snapshot name {} is taken in {} by an earlier snapshot, which stays: this one is {}",
                wanted.name() + wanted.codec().extension(),
                directory(),
                locationOf(distinct));
        return distinct;
    }

    @Override
    public String locationOf(NewSnapshot snapshot) {
        return directory
                .fileFor(snapshot.prefix(), snapshot.suffix(), snapshot.codec().extension())
                .toString();
    }

    @Override
    public void delete(StoredSnapshot snapshot) {
        try {
            Files.deleteIfExists(fileOf(snapshot));
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot delete " + fileOf(snapshot) + ": " + AtomicFiles.describe(e), e);
        }
    }

    @Override
    public void pin(StoredSnapshot snapshot) {
        Path file = fileOf(snapshot);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new SnapshotException("no snapshot file " + file);
        }
        try {
            Files.createFile(pinMarker(snapshot.key()));
            AtomicFiles.fsyncDirectory(directory()); // a pin lost in a power cut would let prune delete the file
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // pinning twice is harmless
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot pin " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    @Override
    public boolean unpin(StoredSnapshot snapshot) {
        try {
            return Files.deleteIfExists(pinMarker(snapshot.key()));
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot unpin " + fileOf(snapshot) + ": " + AtomicFiles.describe(e), e);
        }
    }

    @Override
    public boolean isPinned(StoredSnapshot snapshot) {
        return Files.exists(pinMarker(snapshot.key()), LinkOption.NOFOLLOW_LINKS);
    }

    /** The marker that pins file {@code fileName}: {@code .<file name>.pin} beside it. */
    private Path pinMarker(String fileName) {
        return directory().resolve(PIN_PREFIX + fileName + PIN_SUFFIX);
    }

    /** The file a pin marker's name pins, or null if {@code name} is no marker's. */
    private static String pinnedBy(String name) {
        return name.startsWith(PIN_PREFIX)
                        && name.endsWith(PIN_SUFFIX)
                        && name.length() > PIN_PREFIX.length() + PIN_SUFFIX.length()
                ? name.substring(PIN_PREFIX.length(), name.length() - PIN_SUFFIX.length())
                : null;
    }

    /** The targets of {@code _current} links ({@code current}) and the pinned files ({@code pinned}). */
    @Override
    public Map<String, String> protections() {
        Map<String, String> result = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String pinned = pinnedBy(name);
                if (Files.isSymbolicLink(entry) && name.contains(CURRENT_LINK)) {
                    Path target = Files.readSymbolicLink(entry).getFileName();
                    if (target != null) {
                        result.putIfAbsent(target.toString(), CURRENT);
                    }
                } else if (pinned != null) {
                    result.put(pinned, PINNED);
                }
            }
        } catch (NoSuchFileException e) {
            return result;
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot list " + directory() + ": " + AtomicFiles.describe(e), e);
        }
        return result;
    }

    /**
     * The newest target of the prefix's {@code _current} links (one per codec). Reads those links
     * alone, never the whole directory: a snapshotter asks this after each snapshot.
     */
    @Override
    public Optional<StoredSnapshot> current(String prefix) {
        List<Path> targets = new ArrayList<>();
        for (Codec codec : Codec.values()) {
            Path link = directory.currentLink(prefix, codec.extension());
            try {
                Path target = link.resolveSibling(Files.readSymbolicLink(link).getFileName());
                if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                    targets.add(target);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // no such link (yet, or any more): it names nothing
            }
        }
        return targets.stream()
                .max(Comparator.comparing(DirectoryStore::modified).thenComparing(Path::toString))
                .map(target -> handle(target, target.toString(), size(target)));
    }

    @Override
    public WriterLock lockPrefix(String prefix, String runId) {
        return directory.lock(prefix, runId)::close;
    }

    /**
     * Takes the prefix's writer lock, first refusing a file where this run's {@code _current} link
     * goes: a snapshot copied under the link's name (scp and cp -L follow links), or an S3
     * prefix's pointer copied down, that a run may even resume from. The run could keep no link
     * to its newest snapshot, and a later resume from that name would read the old copy again.
     */
    @Override
    public WriterLock lockPrefix(String prefix, String runId, Codec codec) {
        Path current = directory.currentLink(prefix, codec.extension());
        if (Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(current)) {
            throw new SnapshotException(current + " is a file, not the link a run keeps to its newest snapshot"
                    + " (a copy that followed the link, or an S3 pointer copied down?): move it away (a snapshot"
                    + " to e.g. " + prefix + "_restored" + codec.extension() + ", and resume from that name)");
        }
        return lockPrefix(prefix, runId);
    }

    @Override
    public void close() {
        // nothing held: each operation opens and closes its own files
    }

    @Override
    public String toString() {
        return describe();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
