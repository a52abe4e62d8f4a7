package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.internal.db.OdbcSource;
import io.veles.internal.store.AtomicFiles;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.s3.S3Location;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Copies a snapshot to another codec or store (a file or directory ↔ any store), streaming with bounded memory:
 * the payload is copied as it is, the manifest and checksums are rewritten, and the source's own
 * checksums are checked on the way, so a damaged source leaves nothing at the destination.
 */
public final class SnapshotConversion {
    private SnapshotConversion() {}

    /**
     * Converts {@code source} (anything {@link Snapshots#open} takes) into {@code destination}:
     * a file path, a directory (existing, or ending in {@code /}; the file is named after the
     * snapshot, and nothing is replaced), or a store that is no path
     * ({@code odbc://<odbc string>[&<table>]}), written as its snapshotter would. A null {@code codec} keeps the source's; a negative
     * level means the codec's default. Returns where the copy went (passwords hidden).
     */
    public static String convert(String source, String destination, Codec codec, int level, SnapshotKey key) {
        return convert(source, destination, codec, level, key, false);
    }

    /**
     * The key to read {@code source} with: {@code key} when it is signed, so that its signature is
     * checked as it is copied (signing a copy of a snapshot some other key signed, or that was
     * altered, would make it pass for ours), and none when it is not (a copy is signed from
     * scratch then, as asked).
     */
    private static SnapshotKey keyOfSource(String source, SnapshotKey key) {
        if (key == null) {
            return null;
        }
        try (SnapshotReader header = Snapshots.open(source)) {
            return header.isSigned() ? key : null;
        } catch (IOException e) {
            throw new SnapshotException("cannot convert " + SnapshotStores.redacted(source) + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #convert(String, String, Codec, int, SnapshotKey)}; a differential source is
     * copied only with {@code full}, as a standalone snapshot (its chain assembled, checked and
     * written whole), and refused without it: a copy never silently changes what it depends on.
     */
    public static String convert(
            String source, String destination, Codec codec, int level, SnapshotKey key, boolean full) {
        try (SnapshotReader reader = Snapshots.open(source, keyOfSource(source, key))) {
            Codec target = codec != null ? codec : reader.codec();
            Manifest manifest = reader.manifest();
            if (manifest.isDifferential() && !full) {
                throw new SnapshotException(SnapshotStores.redacted(source) + " is differential (base " + manifest.base
                        + "): use --full for a standalone copy");
            }
            if (!SnapshotStores.namesPath(destination)) {
                refuseARow(destination);
                NewSnapshot entry = entryOf(manifest, target);
                refuseAnotherObjectName(destination, entry);
                String prefix = S3Location.isS3(destination)
                        ? S3Location.parse(destination).prefixLocation().toString()
                        : destination;
                try (SnapshotStore store = SnapshotStores.open(prefix)) {
                    return store.writeCopy(entry, out -> reader.transcode(target, level, key, out))
                            .location();
                }
            }
            Path file = Path.of(destination);
            if (destination.endsWith("/") || destination.endsWith(java.io.File.separator) || Files.isDirectory(file)) {
                if (Files.exists(file) && !Files.isDirectory(file)) {
                    throw new SnapshotException(file + " is a file, not a directory");
                }
                if (!io.veles.internal.store.SnapshotDirectory.isPlainName(manifest.name)) {
                    throw new SnapshotException(SnapshotStores.redacted(source) + " names itself '" + manifest.name
                            + "', which is not a plain file name: give the copy's file name");
                }
                Files.createDirectories(file);
                file = file.resolve(manifest.name + target.extension());
            }
            Codec named = Codec.fromFileName(file.getFileName().toString());
            if (named != Codec.NONE && named != target) {
                throw new SnapshotException(file + " is named as " + named.argument() + " but would hold "
                        + (target == Codec.NONE ? "uncompressed" : target.argument()) + " data");
            }
            if (named == Codec.NONE && target != Codec.NONE) {
                throw new SnapshotException(
                        file + " does not end in " + target.extension() + ", as a " + target.argument()
                                + " snapshot must: name it " + file.getFileName() + target.extension()
                                + ", or end the destination with / for a directory");
            }
            Path destinationFile = file;
            if (Files.exists(destinationFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new SnapshotException(destinationFile + " exists, and a snapshot is never replaced:"
                        + " remove it first or name another destination");
            }
            // Published without replacing, even a file that appears while the copy is written.
            AtomicFiles.writeNew(
                    attempt -> {
                        if (attempt > 0) {
                            throw new SnapshotException(destinationFile
                                    + " appeared while the copy was written; it stays," + " and nothing was converted");
                        }
                        return destinationFile;
                    },
                    out -> reader.transcode(target, level, key, out));
            return file.toString();
        } catch (IOException e) {
            String shown = SnapshotStores.redacted(source);
            // A file-system exception without a reason has only a path for a message: name its kind.
            String why = e instanceof java.nio.file.FileSystemException fs && fs.getReason() == null
                    ? e.getClass().getSimpleName() + ": " + e.getMessage()
                    : e.getMessage();
            throw new SnapshotException("cannot convert " + shown + ": " + why, e);
        }
    }

    /**
     * A copy goes into a table as its snapshotter would have written it, under the snapshot's own
     * id, log_id and name; a destination naming a row was once written anyway, the parts after
     * the table silently dropped.
     */
    private static void refuseARow(String destination) {
        if (OdbcSource.matches(destination)) {
            OdbcSource named = OdbcSource.parse(destination);
            if (!named.id().isEmpty() || !named.name().isEmpty()) {
                throw new SnapshotException("a copy into a table keeps its snapshot's id, log_id and name: give"
                        + " odbc://<odbc string>&<table> as the destination, not a row (" + named.redacted() + ")");
            }
        }
    }

    /**
     * A bucket names a copy after its snapshot, as a snapshotter would; a destination naming
     * another object is refused rather than silently written under the snapshot's name.
     */
    private static void refuseAnotherObjectName(String destination, NewSnapshot entry) {
        if (!S3Location.isS3(destination)) {
            return;
        }
        S3Location named = S3Location.parse(destination);
        String object = entry.name() + entry.codec().extension();
        if (named.object() != null && !named.object().equals(object)) {
            throw new SnapshotException(destination + ": a copy into a bucket is named after its snapshot (" + object
                    + "); give the prefix " + named.prefixLocation());
        }
    }

    /**
     * The snapshot as a store files it: its name split into the prefix it was written under and
     * the rest, its run's id and log id, workflow and time, as its manifest records them.
     */
    private static NewSnapshot entryOf(Manifest manifest, Codec codec) {
        String name = manifest.name == null ? "" : manifest.name;
        String prefix = SnapshotPruning.Filter.prefixOf(manifest);
        int split = prefix != null && name.startsWith(prefix + "_") ? prefix.length() : name.indexOf('_');
        if (split <= 0 || split == name.length() - 1) {
            throw new SnapshotException(
                    "snapshot name '" + name + "' is not <prefix>_<suffix>, as a store names snapshots");
        }
        return new NewSnapshot(
                name.substring(0, split),
                name.substring(split + 1),
                created(manifest),
                manifest.id,
                manifest.logId,
                manifest.workflowName,
                codec);
    }

    private static Instant created(Manifest manifest) {
        try {
            return Instant.parse(manifest.created);
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }
}
