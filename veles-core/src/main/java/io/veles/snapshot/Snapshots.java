package io.veles.snapshot;

import io.veles.pickle.RestoreRules;
import io.veles.pickle.GraphReader;
import io.veles.progress.Progress;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.db.DatabaseTarget;
import io.veles.snapshot.db.OdbcSource;
import io.veles.snapshot.db.SnapshotRow;
import io.veles.snapshot.db.SnapshotTable;
import io.veles.snapshot.format.CodeFingerprint;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.snapshot.format.SnapshotReader;
import io.veles.snapshot.store.DownloadedSnapshots;
import io.veles.snapshot.store.HttpDownload;
import io.veles.snapshot.store.HttpLimits;
import io.veles.snapshot.store.SnapshotDirectory;
import io.veles.util.Printable;
import io.veles.workflow.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening and restoring snapshots from what a user names: a snapshot file, a directory (its
 * newest {@code _current} link), or a database row ({@code odbc://...}).
 */
public final class Snapshots {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);

    private Snapshots() {
    }

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
        if (source == null || source.isBlank()) {
            throw new SnapshotException("no snapshot named: give a file, a directory or an odbc:// source");
        }
        if (OdbcSource.matches(source)) {
            return openRow(OdbcSource.parse(source), key);
        }
        if (HttpDownload.matches(source)) {
            return openDownload(source, key);
        }
        return openFile(SnapshotDirectory.resolveSource(Path.of(source)), key);
    }

    /**
     * Opens the snapshot an {@code odbc://} source names: the row with its id, log_id and name,
     * or the newest that matches.
     */
    public static SnapshotReader openRow(OdbcSource source, SnapshotKey key) {
        Bytes row = rowBytes(source);
        return SnapshotReader.open(row.in(), row.name(), key);
    }

    /** The bytes of a snapshot, as a stream that reports its progress, named for messages. */
    private record Bytes(InputStream in, String name, long size) {
    }

    private static Bytes rowBytes(OdbcSource source) {
        SnapshotTable table = new SnapshotTable(DatabaseTarget.of(source.odbc()), source.table());
        SnapshotRow row = table.find(source.id(), source.logId(), source.name())
                .orElseThrow(() -> new SnapshotException("no snapshot matches " + source.redacted() + " in " + table.describe()));
        OdbcSource exact = OdbcSource.of(source.odbc(), source.table(), row);
        InputStream in = Progress.track(table.open(row), "reading " + row.name(), row.bytes());
        return new Bytes(in, exact.redacted(), row.bytes());
    }

    private static Bytes fileBytes(Path file) {
        try {
            long size = Files.size(file); // first: a failure here leaves no stream open
            return new Bytes(Progress.track(Files.newInputStream(file), "reading " + file.getFileName(), size),
                    file.toString(), size);
        } catch (IOException e) {
            throw new SnapshotException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Downloads a web address into a private temporary file, checks it whole there (and its
     * signature with a key), and opens it. The temporary is gone once this returns: the open
     * stream keeps its bytes readable on POSIX systems, and nothing is left behind.
     */
    private static SnapshotReader openDownload(String address, SnapshotKey key) {
        Path temporary = downloadVerified(address, key);
        try {
            return SnapshotReader.open(readingWithProgress(temporary, address), address, key);
        } catch (IOException e) {
            throw new SnapshotException("cannot read the download of " + address + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** A private temporary holding {@code address}'s snapshot, checked whole; the caller deletes it. */
    private static Path downloadVerified(String address, SnapshotKey key) {
        Path temporary = HttpDownload.toTemporary(address, HttpLimits.current());
        try (SnapshotReader check = SnapshotReader.open(Files.newInputStream(temporary), address, key)) {
            check.verify(); // the whole download is checked before any of it is used or kept
            return temporary;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new SnapshotException("cannot read the download of " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Restores a web address's snapshot: downloaded into a private temporary, verified there,
     * then kept in the default snapshot directory under a name that replaces nothing (see
     * {@link DownloadedSnapshots}), and restored from the private copy.
     */
    private static <W extends Workflow> Restored<W> restoreDownload(String address, Class<W> workflowClass,
                                                                    RestoreRules rules, SnapshotKey key) {
        Path temporary = downloadVerified(address, key);
        try {
            Path kept = DownloadedSnapshots.keep(temporary, HttpDownload.fileName(address),
                    Path.of(SnapshotSettings.DEFAULT_DIRECTORY));
            LOG.info("downloaded {} to {}", address, kept);
            try (SnapshotReader reader = SnapshotReader.open(readingWithProgress(temporary, address), address, key)) {
                W workflow = restore(reader, workflowClass, rules);
                return new Restored<>(workflow, reader.manifest(), reader.source());
            }
        } catch (IOException e) {
            throw new SnapshotException("cannot read the download of " + address + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** The downloaded temporary, read with progress under the address's own file name. */
    private static InputStream readingWithProgress(Path temporary, String address) throws IOException {
        return Progress.track(Files.newInputStream(temporary), "reading " + HttpDownload.fileName(address),
                Files.size(temporary));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
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
        SnapshotReader reader = SnapshotReader.open(fileBytes(file).in(), file.toString(), key);
        try {
            checkNamedCodec(reader, file);
        } catch (SnapshotException e) {
            closeQuietly(reader);
            throw e;
        }
        return reader;
    }

    /** Refuses a file whose name carries another codec's extension than its bytes. */
    private static void checkNamedCodec(SnapshotReader reader, Path file) {
        Codec named = Codec.fromFileName(file.getFileName().toString());
        if (named != Codec.NONE && named != reader.codec()) {
            throw new SnapshotException(file + " is named as " + named.argument() + " but holds "
                    + (reader.codec() == Codec.NONE ? "uncompressed" : reader.codec().argument()) + " data");
        }
    }

    /**
     * Restores the main workflow from {@code reader}, which must hold a {@code workflowClass}
     * snapshot; classes outside the JDK's value types, the engine, {@code workflowClass}'s package
     * and {@code extraPackages} are refused. Code changes since the snapshot are logged by name.
     */
    public static <W extends Workflow> W restore(SnapshotReader reader, Class<W> workflowClass,
                                                 Collection<String> extraPackages) {
        return restore(reader, workflowClass, RestoreRules.forWorkflow(workflowClass).allowPackages(extraPackages));
    }

    /** As {@link #restore(SnapshotReader, Class, Collection)}, with renames and conversions. */
    public static <W extends Workflow> W restore(SnapshotReader reader, Class<W> workflowClass, RestoreRules rules) {
        String recorded = reader.manifest().workflowClass;
        if (!workflowClass.getName().equals(rules.currentName(recorded))) {
            throw new SnapshotException(reader.source() + " is a snapshot of workflow " + recorded
                    + ", not of " + workflowClass.getName());
        }
        String fingerprint = CodeFingerprint.of(reader.manifest().classes, workflowClass.getClassLoader());
        if (!fingerprint.equals(reader.manifest().codeFingerprint)) {
            LOG.warn("the workflow's code changed since snapshot {} was taken; restoring what still fits", Printable.escape(reader.source()));
        }
        GraphReader.Restored restored = reader.restore(rules);
        // names from the manifest, escaped so that they cannot forge log lines
        restored.report().renamedClasses().forEach(rename -> LOG.warn("class renamed since the snapshot: {}", Printable.escape(rename)));
        restored.report().changes().forEach(change -> LOG.warn("code changed since the snapshot: {}", Printable.escape(change.describe())));
        restored.report().removedUnits().forEach(unit -> LOG.warn("code changed since the snapshot: {}", Printable.escape(unit)));
        W workflow = workflowClass.cast(restored.workflow());
        workflow.useRestoreRules(rules); // its next snapshots are checked against the rules that restored it
        return workflow;
    }

    /** A restored workflow with the manifest and source it came from. */
    public record Restored<W extends Workflow>(W workflow, Manifest manifest, String source) {
    }

    /**
     * Restores {@code source} into a {@code workflowClass} workflow. With a key, the source is read
     * once (see {@link #openChecked}): what is deserialized are the very bytes whose signature was
     * checked, so that a file or row swapped while it is read cannot slip in.
     */
    public static <W extends Workflow> Restored<W> restore(String source, Class<W> workflowClass,
                                                           RestoreRules rules, SnapshotKey key) {
        if (HttpDownload.matches(source)) {
            return restoreDownload(source, workflowClass, rules, key);
        }
        if (!OdbcSource.matches(source) && !HttpDownload.matches(source) && Files.isDirectory(Path.of(source))) {
            source = newestOf(Path.of(source), workflowClass, rules).toString();
        }
        // With a key, one read: the bytes checked are the bytes restored (see openChecked).
        try (SnapshotReader reader = key == null ? open(source) : openChecked(source, key)) {
            W workflow = restore(reader, workflowClass, rules);
            return new Restored<>(workflow, reader.manifest(), reader.source());
        } catch (IOException e) {
            throw new SnapshotException("cannot close " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The newest snapshot in {@code directory} of a {@code workflowClass} workflow, among the
     * targets of its {@code _current} links: a directory shared by several workflows resumes the
     * one being run, never the newest of any. Only manifests are read, newest first, until one
     * matches.
     */
    public static Path newestOf(Path directory, Class<? extends Workflow> workflowClass, RestoreRules rules) {
        List<SnapshotDirectory.Current> currents = SnapshotDirectory.currents(directory);
        if (currents.isEmpty()) {
            throw new SnapshotException(directory + " is a directory with no snapshot (no *_current link)");
        }
        Set<String> others = new TreeSet<>();
        List<String> unreadable = new ArrayList<>();
        for (SnapshotDirectory.Current current : currents) {
            if (current.target() == null) {
                unreadable.add(current.link().getFileName() + " (points at a missing file)");
                continue;
            }
            String recorded;
            try (SnapshotReader reader = openFile(current.target())) {
                recorded = reader.manifest().workflowClass;
            } catch (SnapshotException | IOException e) {
                unreadable.add(current.target().getFileName() + " (" + e.getMessage() + ")");
                continue;
            }
            if (workflowClass.getName().equals(rules.currentName(recorded))) {
                if (!unreadable.isEmpty()) {
                    LOG.warn("skipped newer snapshots in {} that cannot be read: {}", directory, String.join("; ", unreadable));
                }
                return current.target();
            }
            others.add(recorded);
        }
        throw new SnapshotException(directory + " holds no snapshot of workflow " + workflowClass.getName()
                + (others.isEmpty() ? "" : "; its _current links point at snapshots of " + String.join(", ", others))
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
        if (source == null || source.isBlank()) {
            throw new SnapshotException("no snapshot named: give a file, a directory or an odbc:// source");
        }
        if (OdbcSource.matches(source)) {
            return readIntoCopy(rowBytes(OdbcSource.parse(source)), key, null);
        }
        if (HttpDownload.matches(source)) {
            return openDownload(source, key); // downloaded once, into a private temporary, checked there
        }
        Path file = SnapshotDirectory.resolveSource(Path.of(source));
        return readIntoCopy(fileBytes(file), key, file);
    }

    /**
     * Reads {@code source} (closed at the end) once, checking it whole with {@code key} as its
     * bytes go into a private copy, and opens the copy. {@code file}, if not null, is where the
     * bytes come from, for the codec its name claims.
     */
    private static SnapshotReader readIntoCopy(Bytes source, SnapshotKey key, Path file) {
        String name = source.name();
        InputStream in = source.in();
        PrivateCopy copy;
        try {
            copy = PrivateCopy.create();
        } catch (IOException e) {
            closeQuietly(in);
            throw new SnapshotException("cannot make a private copy of " + name + " under "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
        try {
            try (SnapshotReader check = SnapshotReader.open(copy.copying(in), name, key)) {
                if (file != null) {
                    checkNamedCodec(check, file);
                }
                check.verify();
            }
            return SnapshotReader.open(Progress.track(copy.input(), "restoring " + name, source.size()), name, key);
        } catch (IOException e) {
            closeQuietly(copy);
            throw new SnapshotException("cannot copy " + name + " into a private file under "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            closeQuietly(copy);
            throw e;
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // reporting why it is being closed matters more
        }
    }
}
