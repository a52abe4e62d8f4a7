package io.veles.snapshot;

import io.veles.snapshot.db.DatabaseTarget;
import io.veles.snapshot.db.OdbcSource;
import io.veles.snapshot.db.SnapshotRow;
import io.veles.snapshot.db.SnapshotTable;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotReader;
import io.veles.snapshot.store.SnapshotDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The snapshots of a store (a directory, or a table named by an {@code odbc://} source, whose id,
 * log_id and name, where given, filter the rows), each with its manifest, oldest first.
 */
public final class SnapshotListing {
    private SnapshotListing() {
    }

    /**
     * One stored snapshot.
     *
     * @param source   how to name it to restore, verify or inspect it (passwords hidden)
     * @param manifest its manifest, or null when it could not be read ({@code problem} says why)
     * @param address  {@code source} with the password, to open it again; never printed
     */
    public record Entry(String source, String name, Instant created, String workflow, String codec, long bytes,
                        Manifest manifest, String problem, String address) {
        @Override
        public String toString() {
            return "Entry[" + source + "]"; // not the address: it may hold a password
        }
    }

    public static List<Entry> list(String store) {
        return list(SnapshotLocation.parse(store), true);
    }

    /**
     * The snapshots at {@code location}, oldest first. Without {@code manifests}, a table's rows
     * are listed from their columns alone ({@code manifest} null, {@code problem} null): reading
     * a manifest fetches a row's first chunk, up to 4 MiB.
     */
    public static List<Entry> list(SnapshotLocation location, boolean manifests) {
        List<Entry> entries = location.isTable() ? listTable(location.table(), manifests) : listDirectory(location.directory());
        entries.sort(Comparator.comparing(Entry::created).thenComparing(Entry::name));
        return entries;
    }

    private static List<Entry> listDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new SnapshotException(Files.exists(directory) ? directory + " is not a directory"
                    : "no such directory: " + directory);
        }
        List<Entry> entries = new ArrayList<>();
        for (Path file : new SnapshotDirectory(directory).snapshots()) {
            long bytes = file.toFile().length();
            try (SnapshotReader reader = Snapshots.openFile(file)) {
                Manifest manifest = reader.manifest();
                entries.add(new Entry(file.toString(), manifest.name, parse(manifest.created, file),
                        manifest.workflowName, reader.codec().argument(), bytes, manifest, null, file.toString()));
            } catch (SnapshotException | IOException e) {
                entries.add(new Entry(file.toString(), file.getFileName().toString(), modified(file), "?", "?", bytes,
                        null, e.getMessage(), file.toString()));
            }
        }
        return entries;
    }

    private static List<Entry> listTable(OdbcSource source, boolean manifests) {
        SnapshotTable table = new SnapshotTable(DatabaseTarget.of(source.odbc()), source.table());
        List<Entry> entries = new ArrayList<>();
        for (SnapshotRow row : table.list()) {
            if (!source.id().isEmpty() && !source.id().equals(row.id())
                    || !source.logId().isEmpty() && !source.logId().equals(row.logId())
                    || !source.name().isEmpty() && !source.name().equals(row.name())) {
                continue;
            }
            String exact = OdbcSource.of(source.odbc(), source.table(), row).redacted();
            Manifest manifest = null;
            String problem = null;
            if (manifests) {
                try (SnapshotReader reader = SnapshotReader.open(table.open(row), exact)) {
                    manifest = reader.manifest();
                } catch (SnapshotException | IOException e) {
                    problem = e.getMessage();
                }
            }
            entries.add(new Entry(exact, row.name(), row.timestamp(), row.workflow(), row.codec(), row.bytes(),
                    manifest, problem, OdbcSource.of(source.odbc(), source.table(), row).unredacted()));
        }
        return entries;
    }

    private static Instant parse(String created, Path file) {
        try {
            return Instant.parse(created);
        } catch (RuntimeException e) {
            return modified(file);
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
