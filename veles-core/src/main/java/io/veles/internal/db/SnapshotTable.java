package io.veles.internal.db;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.store.BodyWriter;
import io.veles.internal.util.Messages;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The snapshot rows of a database table of VELES's schema: {@code timestamp, id, log_id,
 * workflow, name, codec, data}, one row per snapshot, created with the dialect's nearest types if
 * missing ({@link TableSchema}). Pins are {@link SnapshotPins}' job.
 *
 * <p>Large snapshots: no single value may exceed a server's limit (MariaDB's packet, PostgreSQL's
 * 1 GiB, SQLite's blob size), and drivers hold a value whole in memory. So a snapshot's bytes are
 * cut into chunks: the row's {@code data} holds the first chunk (a small snapshot is whole there,
 * a valid snapshot file on its own), and the rest go to {@code <table>_chunks}, keyed by the row's
 * timestamp, id, log_id and name and numbered from 1. The row and its chunks are written in one
 * transaction ({@link ChunkedRowOutput}), so a half-written snapshot is never visible; they are
 * read back one chunk at a time ({@link ChunkedRowInput}), so memory stays at about two chunks
 * whatever the snapshot's size.
 */
public final class SnapshotTable {
    /** Chunk size: far below every server's default single-value limit (MariaDB's 16 MiB packet). */
    public static final int DEFAULT_CHUNK_BYTES = 4 << 20;

    private final TableLayout layout;
    private final TableSchema schema;
    private final int chunkBytes;

    public SnapshotTable(DatabaseTarget target, String table) {
        this(target, table, Integer.getInteger("veles.snapshot.db.chunkBytes", DEFAULT_CHUNK_BYTES));
    }

    public SnapshotTable(DatabaseTarget target, String table, int chunkBytes) {
        if (chunkBytes < 1024) {
            throw new IllegalArgumentException("chunk size below 1 KiB: " + chunkBytes);
        }
        this.layout = new TableLayout(target, table);
        this.schema = new TableSchema(layout);
        this.chunkBytes = chunkBytes;
    }

    public DatabaseTarget target() {
        return layout.target;
    }

    public String table() {
        return layout.table;
    }

    /** The table's name with its database, for messages. */
    public String describe() {
        return layout.describe();
    }

    /**
     * Stores one snapshot whose bytes {@code body} writes, creating the tables if missing; returns
     * the row as stored (its timestamp as the column keeps it, and its size). All or nothing: on
     * any failure the transaction is rolled back (or dies with the connection), and the error
     * propagates, as a {@link SnapshotException} for database errors.
     */
    public SnapshotRow insert(SnapshotRow row, BodyWriter body) {
        return insert(row, body, false);
    }

    /**
     * Inserts a copy of a snapshot taken before, at the time it was taken: a row filed after the
     * run's newest would become the one a resume reads. The same snapshot copied in twice (its
     * name and time already there) is refused.
     */
    public SnapshotRow insertCopy(SnapshotRow row, BodyWriter body) {
        return insert(row, body, true);
    }

    private SnapshotRow insert(SnapshotRow row, BodyWriter body, boolean copy) {
        Identifiers.id("id", row.id());
        Identifiers.id("log_id", row.logId());
        Identifiers.name(row.name());
        if (row.workflow() != null && row.workflow().length() > 100) {
            throw new SnapshotException("workflow name longer than 100 characters: "
                    + row.workflow().substring(0, 40) + "...");
        }
        try (Connection connection = layout.target.connect(true)) {
            schema.createIfMissing(connection);
            // The chunks are keyed by the row's timestamp as the row stores it: a hand-made table's
            // coarser column would round it, so it is cut to that precision first.
            int digits = schema.timestampDigits(connection);
            Instant timestamp = copy
                    ? notYetFiled(connection, row, truncate(row.timestamp(), digits))
                    : afterNewestOfRun(connection, row, truncate(row.timestamp(), digits), digits);
            Object stored = layout.dialect().storedTimestamp(timestamp);
            connection.setAutoCommit(false);
            try {
                ChunkedRowOutput out = new ChunkedRowOutput(layout, connection, row, stored, chunkBytesFor(connection));
                body.writeTo(out);
                out.finish();
                connection.commit();
                return new SnapshotRow(
                        timestamp, row.id(), row.logId(), row.workflow(), row.name(), row.codec(), out.total(), stored);
            } catch (Throwable failure) {
                TableLayout.rollbackQuietly(connection, failure);
                throw failure;
            }
        } catch (SQLException e) {
            throw writeFailed(row, e);
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException) {
                throw writeFailed(row, (SQLException) e.getCause());
            }
            throw new SnapshotStoreException(
                    "cannot write snapshot " + row.name() + " to " + describe() + ": " + Messages.innermostOneLine(e),
                    e);
        }
    }

    /**
     * The chunk size for a write on {@code connection}: a MariaDB server refuses a statement larger
     * than its {@code max_allowed_packet} by dropping the connection ("Socket error", as if the
     * server had gone), so a chunk takes at most half of it there.
     */
    private int chunkBytesFor(Connection connection) throws SQLException {
        if (layout.dialect() != Dialect.MARIADB) {
            return chunkBytes;
        }
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet packet = statement.executeQuery("SELECT @@max_allowed_packet")) {
            long limit = packet.next() ? packet.getLong(1) : Long.MAX_VALUE;
            return (int) Math.max(1024, Math.min(chunkBytes, limit / 2));
        }
    }

    /**
     * Connects, creates the tables if missing and checks that rows can be added to them, so that
     * problems show before the first snapshot: a user allowed only to read (or a read-only SQLite
     * file) was refused at the first snapshot, after the work before it.
     */
    public void prepare() {
        try (Connection connection = layout.target.connect(true)) {
            schema.createIfMissing(connection);
            for (String name : new String[] {layout.table, layout.chunkTable}) {
                try (java.sql.Statement statement = connection.createStatement()) {
                    // adds no row, but asks for the right to add one (and, on SQLite, to write)
                    statement.executeUpdate("INSERT INTO " + name + " SELECT * FROM " + name + " WHERE 1 = 0");
                } catch (SQLException e) {
                    throw new SnapshotStoreException(
                            "cannot write to table " + name + " of " + layout.target.description() + ": "
                                    + Messages.innermostOneLine(e),
                            e);
                }
            }
        } catch (SQLException e) {
            throw new SnapshotStoreException("cannot prepare " + describe() + ": " + Messages.innermostOneLine(e), e);
        }
    }

    /**
     * {@code timestamp}, or the smallest step after the run's newest row where the clock has gone
     * back to it or before (an NTP step, a VM resumed elsewhere). A run's rows are ordered by
     * timestamp: its newest is the one a resume reads and retention keeps as current, and that
     * must be the row written last.
     */
    private Instant afterNewestOfRun(Connection connection, SnapshotRow row, Instant timestamp, int digits)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT MAX(" + layout.quotedTimestamp() + ") FROM " + layout.table + " WHERE id = ? AND log_id = ?")) {
            statement.setString(1, row.id());
            statement.setString(2, row.logId());
            try (ResultSet rows = statement.executeQuery()) {
                Object newest = rows.next() ? layout.dialect().readStoredTimestamp(rows, 1) : null;
                if (newest == null) {
                    return timestamp;
                }
                Instant latest = layout.dialect().toInstant(newest);
                return timestamp.isAfter(latest) ? timestamp : latest.plusNanos((long) Math.pow(10, 9 - digits));
            }
        }
    }

    /** {@code timestamp}, unless the run already has a row of this name at it: the same snapshot, copied in before. */
    private Instant notYetFiled(Connection connection, SnapshotRow row, Instant timestamp) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + layout.table
                + " WHERE id = ? AND log_id = ? AND name = ? AND " + layout.quotedTimestamp() + " = ?")) {
            statement.setString(1, row.id());
            statement.setString(2, row.logId());
            statement.setString(3, row.name());
            layout.dialect().bindTimestamp(statement, 4, layout.dialect().storedTimestamp(timestamp));
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next() && rows.getLong(1) > 0) {
                    throw new SnapshotException(layout.describe() + " already holds snapshot " + row.name() + " of run "
                            + row.id() + ", taken at " + timestamp + ": it is never replaced");
                }
            }
        }
        return timestamp;
    }

    private static Instant truncate(Instant instant, int digits) {
        long unit = (long) Math.pow(10, 9 - digits);
        return instant.minusNanos(instant.getNano() % unit);
    }

    private SnapshotException writeFailed(SnapshotRow row, SQLException e) {
        return new SnapshotStoreException(
                "cannot store snapshot " + row.name() + " in " + describe() + ": " + Messages.innermostOneLine(e)
                        + "; nothing of it was kept",
                e);
    }

    /**
     * The newest snapshot matching the given id, log_id and name; a null or empty criterion
     * matches any value.
     */
    public Optional<SnapshotRow> find(String id, String logId, String name) {
        StringBuilder sql = new StringBuilder(selectRows()).append(" WHERE 1 = 1");
        List<String> values = new ArrayList<>();
        if (id != null && !id.isEmpty()) {
            sql.append(" AND id = ?");
            values.add(Identifiers.id("id", id));
        }
        if (logId != null && !logId.isEmpty()) {
            sql.append(" AND log_id = ?");
            values.add(Identifiers.id("log_id", logId));
        }
        if (name != null && !name.isEmpty()) {
            sql.append(" AND name = ?");
            values.add(Identifiers.name(name));
        }
        sql.append(" ORDER BY ").append(layout.quotedTimestamp()).append(" DESC");
        try (Connection connection = layout.connectForReading();
                PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            statement.setMaxRows(1);
            for (int i = 0; i < values.size(); i++) {
                statement.setString(i + 1, values.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                SnapshotRow row = readRow(rows);
                return Optional.of(row.withBytes(row.bytes() + chunkBytesOf(connection, row)));
            }
        } catch (SQLException e) {
            throw layout.readFailed(e);
        }
    }

    /** Every snapshot in the table, oldest first, with its stored size. */
    public List<SnapshotRow> list() {
        try (Connection connection = layout.connectForReading()) {
            Map<String, Long> chunked = chunkSizes(connection);
            List<SnapshotRow> result = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(selectRows() + " ORDER BY " + layout.quotedTimestamp())) {
                while (rows.next()) {
                    SnapshotRow row = readRow(rows);
                    result.add(row.withBytes(row.bytes() + chunked.getOrDefault(row.key(), 0L)));
                }
            }
            return result;
        } catch (SQLException e) {
            throw layout.readFailed(e);
        }
    }

    /**
     * The bytes of {@code row}, read a chunk at a time over a connection of their own that
     * closing the stream closes.
     */
    public InputStream open(SnapshotRow row) {
        Connection connection = layout.connectForReading();
        try {
            boolean hasChunks = TableLayout.exists(connection, layout.chunkTable);
            return new ChunkedRowInput(layout, connection, row, hasChunks);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e instanceof SQLException ? layout.readFailed((SQLException) e) : (RuntimeException) e;
        }
    }

    /** Deletes {@code row} and its chunks in one transaction. */
    public void delete(SnapshotRow row) {
        try (Connection connection = layout.connectForReading()) {
            connection.setAutoCommit(false);
            try {
                if (TableLayout.exists(connection, layout.chunkTable)) {
                    deleteMatching(connection, layout.chunkTable, row);
                }
                if (deleteMatching(connection, layout.table, row) == 0) {
                    // a row whose columns do not read back as they match (NULLs from another tool)
                    throw new SnapshotStoreException("cannot delete snapshot " + row.name() + " from " + describe()
                            + ": no row matches it as listed (a key column holds NULL?)");
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                TableLayout.rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new SnapshotStoreException(
                    "cannot delete snapshot " + row.name() + " from " + describe() + ": "
                            + Messages.innermostOneLine(e),
                    e);
        }
    }

    /** Deletes the rows of {@code table} that match {@code row}; returns how many. */
    private int deleteMatching(Connection connection, String table, SnapshotRow row) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("DELETE FROM " + table + " WHERE " + layout.rowMatch())) {
            layout.bindRowMatch(statement, 1, row);
            return statement.executeUpdate();
        }
    }

    private String selectRows() {
        return "SELECT " + layout.quotedTimestamp() + ", " + TableLayout.COLUMNS + ", LENGTH(data) FROM "
                + layout.table;
    }

    private SnapshotRow readRow(ResultSet rows) throws SQLException {
        Object stored = layout.dialect().readStoredTimestamp(rows, 1);
        return new SnapshotRow(
                layout.dialect().toInstant(stored),
                TableLayout.strip(rows.getString(2)), // id and log_id: CHAR(36), padded
                TableLayout.strip(rows.getString(3)),
                TableLayout.asStored(rows.getString(4)), // names as stored: a row is found by them
                TableLayout.asStored(rows.getString(5)),
                TableLayout.strip(rows.getString(6)),
                rows.getLong(7),
                stored);
    }

    private long chunkBytesOf(Connection connection, SnapshotRow row) throws SQLException {
        if (!TableLayout.exists(connection, layout.chunkTable)) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT SUM(LENGTH(data)) FROM " + layout.chunkTable + " WHERE " + layout.rowMatch())) {
            layout.bindRowMatch(statement, 1, row);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    private Map<String, Long> chunkSizes(Connection connection) throws SQLException {
        Map<String, Long> sizes = new HashMap<>();
        if (!TableLayout.exists(connection, layout.chunkTable)) {
            return sizes;
        }
        String timestamp = layout.quotedTimestamp();
        String sql = "SELECT id, log_id, name, " + timestamp + ", SUM(LENGTH(data)) FROM " + layout.chunkTable
                + " GROUP BY id, log_id, name, " + timestamp;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                Object stored = layout.dialect().readStoredTimestamp(rows, 4);
                SnapshotRow row = new SnapshotRow(
                        null,
                        TableLayout.strip(rows.getString(1)),
                        TableLayout.strip(rows.getString(2)),
                        null,
                        TableLayout.strip(rows.getString(3)),
                        null,
                        0,
                        stored);
                sizes.put(row.key(), rows.getLong(5));
            }
        }
        return sizes;
    }
}
