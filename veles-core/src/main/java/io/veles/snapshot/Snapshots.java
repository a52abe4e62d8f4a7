package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.store.DownloadedSnapshots;
import io.veles.internal.store.HttpDownload;
import io.veles.internal.store.HttpLimits;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.internal.util.Closeables;
import io.veles.internal.util.Printable;
import io.veles.internal.util.Secrets;
import io.veles.pickle.RestoreRules;
import io.veles.progress.Progress;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.CodeFingerprint;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.snapshot.store.DirectoryStore;
import io.veles.snapshot.store.SnapshotSource;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.workflow.Workflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opening and restoring snapshots from what a user names: a snapshot file, a directory (its
 * newest {@code _current} link), or a database row ({@code odbc://...}).
 */
public final class Snapshots {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);

    private Snapshots() {}

    /** Opens the snapshot that {@code source} names and reads its manifest. */
    public static SnapshotReader open(String source) {
        return open(source, null);
    }

    /**
     * Opens the snapshot that {@code source} names, which must be signed with {@code key} unless
     * the key is null. The signature is checked when the reader reaches the trailer, after what it
     * read was used: to restore, use {@link #openChecked}.
     */
    public static SnapshotReader open(String source, SnapshotKey key) {
        if (HttpDownload.matches(source)) {
            return openDownload(source, key);
        }
        SnapshotSource resolved = SnapshotStores.source(source);
        try {
            StoredSnapshot snapshot = resolved.snapshot();
            return open(resolved.store(), snapshot, resolved.nameOf(snapshot), key, true);
        } catch (RuntimeException | Error e) {
            resolved.close();
            throw e;
        }
    }

    /** Opens {@code snapshot} of {@code store}, named {@code name} in messages. */
    public static SnapshotReader open(SnapshotStore store, StoredSnapshot snapshot, String name, SnapshotKey key) {
        return open(store, snapshot, name, key, false);
    }

    /** As {@link #open(SnapshotStore, StoredSnapshot, String, SnapshotKey)}; with {@code ownsStore}, closing the reader closes the store. */
    private static SnapshotReader open(
            SnapshotStore store, StoredSnapshot snapshot, String name, SnapshotKey key, boolean ownsStore) {
        InputStream in = store.open(snapshot);
        if (ownsStore) {
            in = new java.io.FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        store.close();
                    }
                }
            };
        }
        SnapshotReader reader = SnapshotReader.open(tracked(in, snapshot, name), name, key);
        try {
            checkNamedCodec(reader, name);
            readsChainFrom(reader, store);
        } catch (SnapshotException e) {
            Closeables.closeQuietly(reader);
            throw e;
        }
        return reader;
    }

    /** The bytes of a snapshot, as a stream that reports its progress, named for messages. */
    private record Bytes(InputStream in, String name, long size) {}

    /** {@code in}, reporting its progress as "reading" the file's name, or the snapshot's elsewhere. */
    private static InputStream tracked(InputStream in, StoredSnapshot snapshot, String name) {
        Path file = SnapshotStores.namesPath(name) ? Path.of(name).getFileName() : null;
        return Progress.track(in, "reading " + (file != null ? file : snapshot.name()), snapshot.bytes());
    }

    /**
     * Downloads a web address into a private temporary file, checks it whole there (and its
     * signature with a key), and opens it. The temporary is gone once this returns: the open
     * stream keeps its bytes readable on POSIX systems, and nothing is left behind.
     */
    private static SnapshotReader openDownload(String address, SnapshotKey key) {
        Path temporary = downloadVerified(address, key);
        try {
            String shown = Secrets.redact(address); // a pre-signed address's query holds credentials
            return SnapshotReader.open(readingWithProgress(temporary, shown), shown, key);
        } catch (IOException e) {
            throw new SnapshotStoreException(
                    "cannot read the download of " + Secrets.redact(address) + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** A private temporary holding {@code address}'s snapshot, checked whole; the caller deletes it. */
    private static Path downloadVerified(String address, SnapshotKey key) {
        Path temporary = HttpDownload.toTemporary(address, HttpLimits.current());
        try (SnapshotReader check =
                SnapshotReader.open(Files.newInputStream(temporary), Secrets.redact(address), key)) {
            check.verify(); // the whole download is checked before any of it is used or kept
            return temporary;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new SnapshotStoreException(
                    "cannot read the download of " + Secrets.redact(address) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Restores a web address's snapshot: downloaded into a private temporary, verified there,
     * then kept in the default snapshot directory under a name that replaces nothing (see
     * {@link DownloadedSnapshots}), and restored from the private copy.
     */
    private static <W extends Workflow> Restored<W> restoreDownload(
            String address, Class<W> workflowClass, RestoreRules rules, SnapshotKey key) {
        Path temporary = downloadVerified(address, key);
        try {
            Path kept = DownloadedSnapshots.keep(
                    temporary, HttpDownload.fileName(address), Path.of(SnapshotSettings.DEFAULT_DIRECTORY));
            LOG.info("downloaded {} to {}", Secrets.redact(address), kept);
            String shown = Secrets.redact(address); // a pre-signed address's query holds credentials
            try (SnapshotReader reader = SnapshotReader.open(readingWithProgress(temporary, shown), shown, key)) {
                W workflow = restore(reader, workflowClass, rules);
                return new Restored<>(workflow, reader.manifest(), reader.source());
            }
        } catch (IOException e) {
            throw new SnapshotStoreException(
                    "cannot read the download of " + Secrets.redact(address) + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** The downloaded temporary, read with progress under the address's own file name. */
    private static InputStream readingWithProgress(Path temporary, String address) throws IOException {
        return Progress.track(
                Files.newInputStream(temporary), "reading " + HttpDownload.fileName(address), Files.size(temporary));
    }

    private static void deleteQuietly(Path file) {
        try {
            io.veles.internal.store.TemporaryFiles.delete(file);
        } catch (IOException e) {
            LOG.warn("cannot remove the temporary download {}: {}", file, e.getMessage());
        }
    }

    /**
     * Opens a snapshot file. The codec comes from the bytes; a file whose name carries another
     * codec's extension is refused, since a mislabelled file is usually a damaged or swapped one.
     */
    public static SnapshotReader openFile(Path file) {
        return openFile(file, null);
    }

    /** Opens a snapshot file that must be signed with {@code key} unless it is null. */
    public static SnapshotReader openFile(Path file, SnapshotKey key) {
        file = SnapshotDirectory.followLink(Objects.requireNonNull(file, "file"));
        if (Files.isDirectory(file)) { // read as a file it was "corrupt: Is a directory"
            throw new SnapshotException(file + " is a directory, not a snapshot file: Snapshots.open(String)"
                    + " takes a directory's newest snapshot");
        }
        Path parent = file.getParent();
        DirectoryStore directory = new DirectoryStore(parent == null ? Path.of("") : parent);
        return open(directory, directory.handleOf(file), file.toString(), key);
    }

    /** Refuses a snapshot whose name carries another codec's extension than its bytes. */
    private static void checkNamedCodec(SnapshotReader reader, String name) {
        Codec named = Codec.fromFileName(name);
        if (named != Codec.NONE && named != reader.codec()) {
            throw new SnapshotException(name + " is named as " + named.argument() + " but holds "
                    + (reader.codec() == Codec.NONE
                            ? "uncompressed"
                            : reader.codec().argument()) + " data");
        }
    }

    /**
     * Restores the main workflow from {@code reader}, which must hold a {@code workflowClass}
     * snapshot; classes outside the JDK's value types, the engine, {@code workflowClass}'s package
     * and {@code extraPackages} are refused. Code changes since the snapshot are logged by name.
     */
    public static <W extends Workflow> W restore(
            SnapshotReader reader, Class<W> workflowClass, Collection<String> extraPackages) {
        return restore(
                reader, workflowClass, RestoreRules.forWorkflow(workflowClass).allowPackages(extraPackages));
    }

    /** As {@link #restore(SnapshotReader, Class, Collection)}, with renames and conversions. */
    public static <W extends Workflow> W restore(SnapshotReader reader, Class<W> workflowClass, RestoreRules rules) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(workflowClass, "workflowClass");
        Objects.requireNonNull(rules, "rules");
        String recorded = reader.manifest().workflowClass;
        if (!workflowClass.getName().equals(rules.currentName(recorded))) {
            throw new SnapshotException(
                    reader.source() + " is a snapshot of workflow " + recorded + ", not of " + workflowClass.getName());
        }
        String fingerprint = CodeFingerprint.of(reader.manifest().classes, workflowClass.getClassLoader());
        if (!fingerprint.equals(reader.manifest().codeFingerprint)) {
            LOG.warn(
                    "the workflow's code changed since snapshot {} was taken; restoring what still fits",
                    Printable.escape(reader.source()));
        }
        SnapshotReader.Restored restored = reader.restore(rules);
        // names from the manifest, escaped so that they cannot forge log lines
        restored.report()
                .renamedClasses()
                .forEach(rename -> LOG.warn("class renamed since the snapshot: {}", Printable.escape(rename)));
        restored.report()
                .changes()
                .forEach(
                        change -> LOG.warn("code changed since the snapshot: {}", Printable.escape(change.describe())));
        restored.report()
                .removedUnits()
                .forEach(unit -> LOG.warn("code changed since the snapshot: {}", Printable.escape(unit)));
        W workflow = workflowClass.cast(restored.workflow());
        workflow.useRestoreRules(rules); // its next snapshots are checked against the rules that restored it
        return workflow;
    }

    /** A restored workflow with the manifest and source it came from. */
    public record Restored<W extends Workflow>(W workflow, Manifest manifest, String source) {}

    /**
     * Restores {@code source} into a {@code workflowClass} workflow. With a key, the source is read
     * once (see {@link #openChecked}): what is deserialized are the very bytes whose signature was
     * checked, so that a file or row swapped while it is read cannot slip in.
     */
    public static <W extends Workflow> Restored<W> restore(
            String source, Class<W> workflowClass, RestoreRules rules, SnapshotKey key) {
        Objects.requireNonNull(workflowClass, "workflowClass");
        Objects.requireNonNull(rules, "rules");
        if (HttpDownload.matches(source)) {
            return restoreDownload(source, workflowClass, rules, key);
        }
        try (SnapshotSource resolved = SnapshotStores.source(source)) {
            StoredSnapshot snapshot =
                    resolved.namesOne() ? resolved.snapshot() : newestOf(resolved, workflowClass, rules);
            String name = resolved.nameOf(snapshot);
            // With a key, one read: the bytes checked are the bytes restored (see openChecked).
            try (SnapshotReader reader = key == null
                    ? open(resolved.store(), snapshot, name, null)
                    : openChecked(resolved.store(), snapshot, name, key)) {
                W workflow = restore(reader, workflowClass, rules);
                return new Restored<>(workflow, reader.manifest(), reader.source());
            } catch (IOException e) {
                throw new SnapshotStoreException("cannot close " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The newest snapshot of a {@code workflowClass} workflow among those a store's pointers name
     * (a directory's {@code _current} links): a store shared by several workflows resumes the one
     * being run, never the newest of any. Only manifests are read, newest first, until one matches.
     */
    private static StoredSnapshot newestOf(
            SnapshotSource source, Class<? extends Workflow> workflowClass, RestoreRules rules) {
        SnapshotSource.Candidates candidates = source.candidates();
        String store = source.store().describe();
        if (candidates.list().isEmpty()) {
            throw new SnapshotException(candidates.none());
        }
        Set<String> others = new TreeSet<>();
        List<String> unreadable = new ArrayList<>();
        for (SnapshotSource.Candidate candidate : candidates.list()) {
            StoredSnapshot snapshot = candidate.snapshot();
            if (snapshot == null) {
                unreadable.add(candidate.problem());
                continue;
            }
            String recorded;
            try (SnapshotReader reader = open(source.store(), snapshot, snapshot.location(), null)) {
                recorded = reader.manifest().workflowClass;
            } catch (SnapshotException | IOException e) {
                unreadable.add(snapshot.key() + " (" + e.getMessage() + ")");
                continue;
            }
            if (workflowClass.getName().equals(rules.currentName(recorded))) {
                if (!unreadable.isEmpty()) {
                    LOG.warn(
                            "skipped newer snapshots in {} that cannot be read: {}",
                            store,
                            String.join("; ", unreadable));
                }
                return snapshot;
            }
            others.add(recorded);
        }
        throw new SnapshotException(store + " holds no snapshot of workflow " + workflowClass.getName()
                + (others.isEmpty() ? "" : "; its current snapshots are of " + String.join(", ", others))
                + (unreadable.isEmpty() ? "" : "; unreadable: " + String.join("; ", unreadable)));
    }

    /**
     * Opens the snapshot {@code source} names, signed with {@code key}, for a restore: its bytes
     * are read from the source once, into a {@link PrivateCopy}, while the whole snapshot and its
     * signature are checked; the reader returned reads that copy. The copy costs a write of the
     * snapshot's size under {@code java.io.tmpdir}; it is gone when the reader closes.
     */
    public static SnapshotReader openChecked(String source, SnapshotKey key) {
        java.util.Objects.requireNonNull(key, "key");
        if (HttpDownload.matches(source)) {
            return openDownload(source, key); // downloaded once, into a private temporary, checked there
        }
        SnapshotSource resolved = SnapshotStores.source(source);
        try {
            StoredSnapshot snapshot = resolved.snapshot();
            return openChecked(resolved.store(), snapshot, resolved.nameOf(snapshot), key);
        } finally {
            resolved.close(); // the private copy holds the bytes
        }
    }

    /** As {@link #openChecked(String, SnapshotKey)}, for {@code snapshot} of {@code store}. */
    public static SnapshotReader openChecked(
            SnapshotStore store, StoredSnapshot snapshot, String name, SnapshotKey key) {
        java.util.Objects.requireNonNull(key, "key");
        return readsChainFrom(
                readIntoCopy(new Bytes(tracked(store.open(snapshot), snapshot, name), name, snapshot.bytes()), key),
                store);
    }

    /** A differential snapshot's chain is read from the store that holds it, by key. */
    private static SnapshotReader readsChainFrom(SnapshotReader reader, SnapshotStore store) {
        if (!reader.isDifferential()) {
            return reader;
        }
        return reader.withBases((baseKey, snapshotKey) -> {
            StoredSnapshot base = store.find(baseKey)
                    .orElseThrow(() -> new SnapshotException(
                            "it is missing from " + store.describe() + " (deleted, or never copied with it)"));
            return open(store, base, base.location(), snapshotKey, false);
        });
    }

    /**
     * Reads {@code source} (closed at the end) once, checking it whole with {@code key} as its
     * bytes go into a private copy, and opens the copy. The codec its name claims is checked too.
     */
    private static SnapshotReader readIntoCopy(Bytes source, SnapshotKey key) {
        String name = source.name();
        InputStream in = source.in();
        PrivateCopy copy;
        try {
            copy = PrivateCopy.create();
        } catch (IOException e) {
            Closeables.closeQuietly(in);
            throw new SnapshotException(
                    "cannot make a private copy of " + name + " under " + System.getProperty("java.io.tmpdir") + ": "
                            + e.getMessage(),
                    e);
        }
        try {
            try (SnapshotReader check = SnapshotReader.open(copy.copying(in), name, key)) {
                checkNamedCodec(check, name);
                check.verifyOwnBytes(); // a differential snapshot's chain is checked as it is assembled
            }
            return SnapshotReader.open(Progress.track(copy.input(), "restoring " + name, source.size()), name, key);
        } catch (IOException e) {
            Closeables.closeQuietly(copy);
            throw new SnapshotStoreException(
                    "cannot copy " + name + " into a private file under " + System.getProperty("java.io.tmpdir") + ": "
                            + e.getMessage(),
                    e);
        } catch (RuntimeException | Error e) {
            Closeables.closeQuietly(copy);
            throw e;
        }
    }
}
