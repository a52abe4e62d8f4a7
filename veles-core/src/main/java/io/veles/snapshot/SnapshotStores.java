package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.internal.db.OdbcSource;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.snapshot.store.DirectoryStore;
import io.veles.snapshot.store.SnapshotSource;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.snapshot.store.TableStore;
import io.veles.snapshot.store.s3.ObjectStore;
import io.veles.snapshot.store.s3.S3Location;
import io.veles.snapshot.store.s3.S3Options;
import io.veles.snapshot.store.s3.S3Sdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that decides which store a location names, from its form: {@code odbc://…} (or
 * a snapshotter's {@code odbc} setting) is a {@link TableStore}, {@code s3://bucket/prefix} an
 * {@link ObjectStore} (reached with {@link S3Options#current()}), anything else a path, a
 * {@link DirectoryStore}. Also the one place that resolves a user's snapshot source into a store
 * and what it selects. Web addresses are no store: {@code Snapshots} downloads them first.
 */
public final class SnapshotStores {
    /**
     * The start of an address of a kind no store here has ({@code jdbc:postgresql:}, {@code
     * gs://}, {@code postgresql://}), or of one of ours mistyped ({@code s3:/bucket}): taken for a
     * path, it would become a local directory of that name, and snapshots meant for a bucket or
     * a database would be lost with the machine.
     */
    private static final Pattern FOREIGN_ADDRESS =
            Pattern.compile("^(?:jdbc:[A-Za-z0-9+.-]*:|[A-Za-z][A-Za-z0-9+.-]+:/+)");

    private SnapshotStores() {}

    /**
     * Refuses {@code location} if it is an address of a kind we do not store to, naming only its
     * scheme: the rest may hold a password.
     */
    private static void refuseForeignAddress(String location) {
        Matcher address = FOREIGN_ADDRESS.matcher(location);
        if (address.lookingAt() && !OdbcSource.matches(location) && !S3Location.isS3(location)) {
            throw new SnapshotException(address.group()
                    + "… is not a snapshot location: a database is given as odbc://<ODBC connection string>"
                    + " (odbc://DRIVER={PostgreSQL};SERVER=host;DATABASE=name), a bucket as s3://<bucket>/<prefix>,"
                    + " anything else is a path");
        }
    }

    /**
     * The store {@code location} names: {@code odbc://<odbc string>[&<table>[&<id>[&<log_id>[&<name>]]]]}
     * (the id, log_id and name, where given, filter the rows listed), or a directory.
     */
    public static SnapshotStore open(String location) {
        if (location == null || location.isBlank()) {
            throw new SnapshotException(
                    "no snapshot store named: give a directory, an odbc:// source or an s3:// location");
        }
        if (OdbcSource.matches(location)) {
            return TableStore.open(location);
        }
        if (S3Location.isS3(location)) {
            S3Sdk.require();
            return ObjectStore.open(prefixNamed(location), S3Options.current());
        }
        refuseForeignAddress(location);
        return new DirectoryStore(Path.of(location));
    }

    /**
     * The S3 prefix {@code location} names. A location that names one snapshot ({@code
     * s3://b/p/w_3.gz}) is refused, as a file is where a directory is wanted: taken as its
     * prefix, a prune or a listing would have covered every snapshot beside it.
     */
    private static S3Location prefixNamed(String location) {
        S3Location parsed = S3Location.parse(location);
        if (parsed.objectName().isPresent()) {
            throw new SnapshotException(location + " names a snapshot, not a prefix of them: give "
                    + parsed.prefixLocation() + " (a prefix named like a snapshot file ends in '/')");
        }
        return parsed;
    }

    /**
     * The snapshot an {@code s3://} location names: its object, or a prefix's newest. A location
     * read as a prefix may be an uncompressed snapshot's own address, which has no extension to
     * tell it by ({@link ObjectStore#uncompressedSnapshotNamed}), unless it ends in '/'
     * ({@code prefixOnly}); it is then opened from its prefix's store, where a differential's bases
     * lie beside it.
     */
    private static SnapshotSource s3Source(S3Location location, boolean prefixOnly) {
        ObjectStore store = ObjectStore.open(location, S3Options.current());
        try {
            if (location.object() != null) {
                return SnapshotSource.of(store, store.resolve(location), null);
            }
            Optional<S3Location> uncompressed = prefixOnly ? Optional.empty() : store.uncompressedSnapshotNamed();
            if (uncompressed.isPresent()) {
                store.close();
                return s3Source(uncompressed.get(), false);
            }
            ObjectStore prefix = store;
            return SnapshotSource.ofStore(prefix, () -> prefix.resolve(location), prefix::currents);
        } catch (RuntimeException | Error e) {
            store.close(); // its client and pool: nothing else holds them yet (closing twice is harmless)
            throw e;
        }
    }

    /** How to show {@code source} in messages: as given, with any password hidden. */
    public static String redacted(String source) {
        return OdbcSource.matches(source) ? OdbcSource.parse(source).redacted() : source;
    }

    /** True when {@code location} is a path (a directory or a file), false for a store's address such as {@code odbc://}. */
    public static boolean namesPath(String location) {
        return !OdbcSource.matches(location) && !S3Location.isS3(location);
    }

    /** Where a snapshotter with {@code settings} writes: its {@code odbc} and table, else its directory. */
    public static SnapshotStore forSettings(SnapshotSettings settings) {
        if (settings.odbc() != null) {
            String table = settings.table() == null || settings.table().isEmpty()
                    ? OdbcSource.DEFAULT_TABLE
                    : settings.table();
            return TableStore.open(settings.odbc(), table);
        }
        if (S3Location.isS3(settings.directory())) {
            S3Sdk.require();
            return ObjectStore.open(prefixNamed(settings.directory()), S3Options.current());
        }
        if (OdbcSource.matches(settings.directory())) {
            throw new SnapshotException("the snapshot directory is a database source (odbc://…): give it as"
                    + " --odbc (snapshotter.odbc), and its table as --table");
        }
        refuseForeignAddress(settings.directory());
        return new DirectoryStore(Path.of(settings.directory()));
    }

    /**
     * What a user's snapshot source names: a snapshot file (or a link to one); a directory (its
     * newest {@code _current} link's target, or for a resume the newest of the workflow being
     * run); or {@code odbc://…&<table>&<id>&<log_id>[&<name>]}, the newest row it matches.
     * Refuses in one line a source that names nothing.
     */
    public static SnapshotSource source(String source) {
        if (source == null || source.isBlank()) {
            throw new SnapshotException(
                    "no snapshot named: give a file, a directory, an odbc:// source or an s3:// location");
        }
        if (S3Location.isS3(source)) {
            S3Sdk.require();
            return s3Source(S3Location.parse(source), source.endsWith("/"));
        }
        if (OdbcSource.matches(source)) {
            TableStore table = TableStore.open(source);
            StoredSnapshot row = table.newest()
                    .orElseThrow(() -> new SnapshotException(
                            "no snapshot matches " + table.describe() + " in " + table.describeTable()));
            return SnapshotSource.of(table, row, null);
        }
        refuseForeignAddress(source);
        Path path = Path.of(source);
        if (Files.isDirectory(path)) {
            DirectoryStore directory = new DirectoryStore(path);
            return SnapshotSource.ofStore(
                    directory,
                    () -> directory.handleOf(SnapshotDirectory.resolveSource(path)),
                    () -> currentsOf(directory));
        }
        Path file = SnapshotDirectory.resolveSource(path);
        Path parent = file.getParent();
        DirectoryStore directory = new DirectoryStore(parent == null ? Path.of("") : parent);
        return SnapshotSource.of(directory, directory.handleOf(file), file.toString());
    }

    /** A directory's {@code _current} links' targets, newest first; a link to a missing file with its problem. */
    private static SnapshotSource.Candidates currentsOf(DirectoryStore directory) {
        List<SnapshotSource.Candidate> candidates = new ArrayList<>();
        for (SnapshotDirectory.Current current : SnapshotDirectory.currents(directory.directory())) {
            candidates.add(
                    current.target() == null
                            ? new SnapshotSource.Candidate(
                                    null, current.link().getFileName() + " (points at a missing file)")
                            : new SnapshotSource.Candidate(directory.handleOf(current.target()), null));
        }
        return new SnapshotSource.Candidates(
                candidates, directory.describe() + " is a directory with no snapshot (no *_current link)");
    }
}
