package io.veles.snapshot;

import io.veles.snapshot.db.OdbcSource;
import java.nio.file.Path;

/**
 * Where a set of snapshots lives: a directory, or a table (its rows filtered by the id, log_id
 * and name an {@code odbc://} source gives). Parsed once from what a user typed, or built from a
 * snapshotter's settings, so that a connection string is never reassembled into text and split
 * again.
 *
 * @param directory the directory, or null for a table
 * @param table     the table and its row filter, or null for a directory
 */
public record SnapshotLocation(Path directory, OdbcSource table) {
    public SnapshotLocation {
        if ((directory == null) == (table == null)) {
            throw new IllegalArgumentException("a location is a directory or a table");
        }
    }

    /** A directory, or {@code odbc://<odbc string>[&<table>[&<id>[&<log_id>[&<name>]]]]}. */
    public static SnapshotLocation parse(String store) {
        return OdbcSource.matches(store) ? new SnapshotLocation(null, OdbcSource.parse(store))
                : new SnapshotLocation(Path.of(store), null);
    }

    public static SnapshotLocation of(Path directory) {
        return new SnapshotLocation(directory, null);
    }

    public static SnapshotLocation of(OdbcSource table) {
        return new SnapshotLocation(null, table);
    }

    public boolean isTable() {
        return table != null;
    }

    /** As a user would name it, with any password hidden. */
    @Override
    public String toString() {
        return isTable() ? table.redacted() : directory.toString();
    }
}
