package io.veles.snapshot.store;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotLockedException;
import io.veles.internal.db.DatabaseTarget;
import io.veles.internal.db.OdbcSource;
import io.veles.internal.db.SnapshotPins;
import io.veles.internal.db.SnapshotRow;
import io.veles.internal.db.SnapshotTable;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Snapshots as rows of a database table of VELES's schema ({@link SnapshotTable}), pinned in
 * {@code <table>_pins} ({@link SnapshotPins}). Named by an {@code odbc://} source, whose id,
 * log_id and name, where given, filter the rows this store lists. A prefix's current snapshot is
 * its newest row; prune keeps each run's newest row, what {@code odbc://…&<id>} resumes from.
 * Rows are added, never replaced, and each carries its run's id, so runs cannot collide; within
 * one run, {@link #lockPrefix} lets one snapshotter of this JVM write a prefix.
 */
public final class TableStore implements SnapshotStore {
    private final OdbcSource where;
    private final SnapshotTable table;
    private final SnapshotPins pins;
    /** Rows by handle key, as last listed or written: a handle finds its row without a query. */
    private final Map<String, SnapshotRow> rows = new ConcurrentHashMap<>();

    /**
     * The table an {@code odbc://<odbc string>&<table>[&<id>&<log_id>[&<name>]]} source names, its
     * rows filtered by the source's id, log_id and name where given.
     */
    public static TableStore open(String odbcSource) {
        return new TableStore(OdbcSource.parse(odbcSource));
    }

    /** Every row of {@code table} in the database an ODBC string names. */
    public static TableStore open(String odbc, String table) {
        return new TableStore(new OdbcSource(odbc, table, "", "", ""));
    }

    /** The table {@code where} names, its rows filtered by {@code where}'s id, log_id and name. */
    TableStore(OdbcSource where) {
        this(where, new SnapshotTable(DatabaseTarget.of(where.odbc()), where.table()));
    }

    /** As {@link #TableStore(OdbcSource)}, over {@code table} (a chunk size of its own). */
    TableStore(OdbcSource where, SnapshotTable table) {
        this.where = where;
        this.table = table;
        this.pins = new SnapshotPins(table.target(), table.table());
    }

    @Override
    public String describe() {
        return where.redacted();
    }

    /** The table's name with its database, for messages. */
    public String describeTable() {
        return table.describe();
    }

    @Override
    public List<StoredSnapshot> list() {
        List<StoredSnapshot> listed = new ArrayList<>();
        for (SnapshotRow row : table.list()) {
            if (selected(row)) {
                listed.add(remember(row));
            }
        }
        return listed;
    }

    /** Any row of the table, whatever the source's filter selects: a row address's bases are other rows. */
    @Override
    public Optional<StoredSnapshot> find(String key) {
        for (SnapshotRow row : table.list()) {
            if (row.key().equals(key)) {
                return Optional.of(remember(row));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code row} passes the source's filter; an empty criterion passes any value. */
    private boolean selected(SnapshotRow row) {
        return (where.id().isEmpty() || where.id().equals(row.id()))
                && (where.logId().isEmpty() || where.logId().equals(row.logId()))
                && (where.name().isEmpty() || where.name().equals(row.name()));
    }

    /** The newest row the source's id, log_id and name match, if any. */
    public Optional<StoredSnapshot> newest() {
        return table.find(where.id(), where.logId(), where.name()).map(this::remember);
    }

    @Override
    public InputStream open(StoredSnapshot snapshot) {
        return table.open(rowOf(snapshot));
    }

    @Override
    public String locationOf(NewSnapshot snapshot) {
        return new OdbcSource(where.odbc(), where.table(), snapshot.runId(), snapshot.logId(), snapshot.name())
                .redacted();
    }

    @Override
    public StoredSnapshot write(NewSnapshot snapshot, SnapshotBody body) {
        return remember(table.insert(rowOf(snapshot), body::writeTo));
    }

    @Override
    public StoredSnapshot writeCopy(NewSnapshot snapshot, SnapshotBody body) {
        return remember(table.insertCopy(rowOf(snapshot), body::writeTo));
    }

    private static SnapshotRow rowOf(NewSnapshot snapshot) {
        return SnapshotRow.of(
                snapshot.created(),
                snapshot.runId(),
                snapshot.logId(),
                snapshot.workflow(),
                snapshot.name(),
                snapshot.codec().argument());
    }

    @Override
    public void delete(StoredSnapshot snapshot) {
        table.delete(rowOf(snapshot));
        rows.remove(snapshot.key());
    }

    @Override
    public void pin(StoredSnapshot snapshot) {
        pins.pin(rowOf(snapshot));
    }

    @Override
    public boolean unpin(StoredSnapshot snapshot) {
        return pins.unpin(rowOf(snapshot));
    }

    @Override
    public boolean isPinned(StoredSnapshot snapshot) {
        return pins.isPinned(rowOf(snapshot));
    }

    /** Pinned rows ({@code pinned}) and the newest row of each run ({@code current}), of the whole table. */
    @Override
    public Map<String, String> protections() {
        Set<String> pinned = pins.pinned();
        Map<String, SnapshotRow> newestOfRun = new HashMap<>();
        Map<String, String> result = new HashMap<>();
        for (SnapshotRow row : table.list()) { // oldest first: the last of a run wins
            newestOfRun.put(row.id() + "\n" + row.logId(), row);
            if (pinned.contains(SnapshotPins.keyOf(row))) {
                result.put(row.key(), PINNED);
            }
        }
        for (SnapshotRow row : newestOfRun.values()) {
            result.putIfAbsent(row.key(), CURRENT);
        }
        return result;
    }

    /** The newest of the listed rows named {@code <prefix>_…}. */
    @Override
    public Optional<StoredSnapshot> current(String prefix) {
        return list().stream()
                .filter(snapshot -> snapshot.name().startsWith(prefix + "_"))
                .max(Comparator.comparing(StoredSnapshot::created));
    }

    /** The rows of run {@code runId} (and {@code logId}) in this table. */
    @Override
    public Optional<List<StoredSnapshot>> snapshotsOfRun(String runId, String logId) {
        List<StoredSnapshot> ofRun = new ArrayList<>();
        for (SnapshotRow row : table.list()) {
            if (row.id().equals(runId) && (logId == null || row.logId().equals(logId))) {
                ofRun.add(remember(row));
            }
        }
        return Optional.of(ofRun);
    }

    /** The prefixes of a run that a snapshotter of this JVM writes, by table, prefix and run id. */
    private static final Set<String> WRITTEN_HERE = ConcurrentHashMap.newKeySet();

    /**
     * Lets one snapshotter of this JVM write {@code prefix} for run {@code runId} in this table:
     * rows carry their run's id, so other runs cannot collide, but two snapshotters of one run
     * on one prefix would each take the other's rows for its own, and prune its differential
     * bases. Also connects and creates the tables if missing: a writer calls it first, so a wrong
     * connection string or an unreachable database shows before the first snapshot.
     */
    @Override
    public WriterLock lockPrefix(String prefix, String runId) {
        table.prepare();
        String held = describeTable() + "\u0000" + prefix + "\u0000" + runId;
        if (!WRITTEN_HERE.add(held)) {
            throw new SnapshotLockedException("snapshot prefix '" + prefix + "' in " + describeTable()
                    + " is written by another snapshotter of this run: give each its own snapshotter.prefix");
        }
        return () -> WRITTEN_HERE.remove(held);
    }

    @Override
    public void close() {
        rows.clear(); // connections are opened and closed by each operation
    }

    @Override
    public String toString() {
        return describe();
    }

    private StoredSnapshot remember(SnapshotRow row) {
        rows.put(row.key(), row);
        return new StoredSnapshot(
                row.key(),
                row.name(),
                row.timestamp(),
                row.bytes(),
                row.workflow(),
                row.codec(),
                OdbcSource.of(where.odbc(), where.table(), row).redacted());
    }

    /** The row of {@code snapshot}: as listed or written here, else looked up again. */
    private SnapshotRow rowOf(StoredSnapshot snapshot) {
        SnapshotRow row = rows.get(snapshot.key());
        if (row != null) {
            return row;
        }
        for (SnapshotRow candidate : table.list()) {
            remember(candidate);
        }
        row = rows.get(snapshot.key());
        if (row == null) {
            throw new SnapshotException("snapshot " + snapshot.location() + " is no longer in " + table.describe());
        }
        return row;
    }
}
