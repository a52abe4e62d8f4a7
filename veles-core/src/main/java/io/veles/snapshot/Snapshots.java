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
import io.veles.snapshot.store.HttpDownload;
import io.veles.snapshot.store.SnapshotDirectory;
import io.veles.util.Printable;
import io.veles.workflow.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
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
            if (key != null) {
                return openChecked(source, key);
            }
            Path file = download(source);
            try (SnapshotReader check = openFile(file, key)) {
                check.verify(); // the whole file is checked before any of it is used
            } catch (IOException e) {
                throw new SnapshotException("cannot read " + file + ": " + e.getMessage(), e);
            }
            return openFile(file, key);
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

    /** Downloads a web address into the default snapshot directory. */
    private static Path download(String address) {
        return HttpDownload.download(address, Path.of(SnapshotSettings.DEFAULT_DIRECTORY));
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
        try (SnapshotReader reader = key == null ? open(source) : openChecked(source, key)) {
            W workflow = restore(reader, workflowClass, rules);
            return new Restored<>(workflow, reader.manifest(), reader.source());
        } catch (IOException e) {
            throw new SnapshotException("cannot close " + source + ": " + e.getMessage(), e);
        }
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
        Path file = HttpDownload.matches(source) ? download(source) : SnapshotDirectory.resolveSource(Path.of(source));
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
