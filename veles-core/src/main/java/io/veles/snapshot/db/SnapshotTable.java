package io.veles.snapshot.db;

import io.veles.snapshot.SnapshotException;
import io.veles.snapshot.store.SnapshotBody;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Snapshots in a database table of the seed's schema: {@code timestamp, id, log_id, workflow,
 * name, codec, data}, one row per snapshot, created with the dialect's nearest types if missing.
 *
 * <p>Large snapshots: no single value may exceed a server's limit (MariaDB's packet, PostgreSQL's
 * 1 GiB, SQLite's blob size), and drivers hold a value whole in memory. So a snapshot's bytes are
 * cut into chunks: the row's {@code data} holds the first chunk (a small snapshot is whole there,
 * a valid snapshot file on its own), and the rest go to {@code <table>_chunks}, keyed by the row's
 * timestamp, id, log_id and name and numbered from 1. The row and its chunks are written in one
 * transaction, so a half-written snapshot is never visible; they are read back one chunk at a time,
 * so memory stays at about two chunks whatever the snapshot's size.
 */
public final class SnapshotTable {
    /** Chunk size: far below every server's default single-value limit (MariaDB's 16 MiB packet). */
    public static final int DEFAULT_CHUNK_BYTES = 4 << 20;
    static final String CHUNK_SUFFIX = "_chunks";
    static final String PIN_SUFFIX = "_pins";
    private static final String COLUMNS = "id, log_id, workflow, name, codec";

    private final DatabaseTarget target;
    private final String table;
    private final String chunkTable;
    private final String pinTable;
    private final int chunkBytes;

    public SnapshotTable(DatabaseTarget target, String table) {
        this(target, table, Integer.getInteger("veles.snapshot.db.chunkBytes", DEFAULT_CHUNK_BYTES));
    }

    public SnapshotTable(DatabaseTarget target, String table, int chunkBytes) {
        if (chunkBytes < 1024) {
            throw new IllegalArgumentException("chunk size below 1 KiB: " + chunkBytes);
        }
        this.target = target;
        this.table = Identifiers.table(table);
        this.chunkTable = table + CHUNK_SUFFIX;
        this.pinTable = table + PIN_SUFFIX;
        this.chunkBytes = chunkBytes;
    }

    public DatabaseTarget target() {
        return target;
    }

    public String table() {
        return table;
    }

    /** The table's name with its database, for messages. */
    public String describe() {
        return "table " + table + " of " + target.description();
    }

    /**
     * Stores one snapshot whose bytes {@code body} writes, creating the tables if missing; returns
     * the bytes stored. All or nothing: on any failure the transaction is rolled back (or dies with
     * the connection), and the error propagates, as a {@link SnapshotException} for database errors.
     */
    public long insert(SnapshotRow row, SnapshotBody body) {
        Identifiers.id("id", row.id());
        Identifiers.id("log_id", row.logId());
        Identifiers.name(row.name());
        if (row.workflow() != null && row.workflow().length() > 100) {
            throw new SnapshotException("workflow name longer than 100 characters: " + row.workflow().substring(0, 40) + "...");
        }
        try (Connection connection = target.connect(true)) {
            createIfMissing(connection);
            // The chunks are keyed by the row's timestamp as the row stores it: a hand-made table's
            // coarser column would round it, so it is cut to that precision first.
            Instant timestamp = truncate(row.timestamp(), timestampDigits(connection));
            Object stored = target.dialect().storedTimestamp(timestamp);
            connection.setAutoCommit(false);
            try {
                ChunkedRowOutput out = new ChunkedRowOutput(connection, row, stored);
                body.writeTo(out);
                out.finish();
                connection.commit();
                return out.total();
            } catch (Throwable failure) {
                rollbackQuietly(connection, failure);
                throw failure;
            }
        } catch (SQLException e) {
            throw writeFailed(row, e);
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException) {
                throw writeFailed(row, (SQLException) e.getCause());
            }
            throw new SnapshotException("cannot write snapshot " + row.name() + " to " + describe() + ": "
                    + SqlErrors.oneLine(e), e);
        }
    }

    /** Connects and creates the tables if missing, so that problems show before the first snapshot. */
    public void prepare() {
        try (Connection connection = target.connect(true)) {
            createIfMissing(connection);
        } catch (SQLException e) {
            throw new SnapshotException("cannot prepare " + describe() + ": " + SqlErrors.oneLine(e), e);
        }
    }

    /** The fractional digits the table's timestamp column keeps (6 unless it says fewer). */
    private int timestampDigits(Connection connection) throws SQLException {
        if (target.dialect() == Dialect.SQLITE) {
            return 6; // stored as text, exactly as we format it
        }
        String schema = target.dialect() == Dialect.MARIADB ? "DATABASE()" : "current_schema()";
        try (PreparedStatement query = connection.prepareStatement("SELECT datetime_precision FROM information_schema.columns"
                + " WHERE table_schema = " + schema + " AND LOWER(table_name) = ? AND column_name = 'timestamp'")) {
            query.setString(1, table.toLowerCase(Locale.ROOT));
            try (ResultSet columns = query.executeQuery()) {
                if (columns.next()) {
                    int digits = columns.getInt(1);
                    return columns.wasNull() ? 6 : Math.max(0, Math.min(6, digits));
                }
            }
        }
        return 6;
    }

    private static Instant truncate(Instant instant, int digits) {
        long unit = (long) Math.pow(10, 9 - digits);
        return instant.minusNanos(instant.getNano() % unit);
    }

    private SnapshotException writeFailed(SnapshotRow row, SQLException e) {
        return new SnapshotException("cannot store snapshot " + row.name() + " in " + describe() + ": "
                + SqlErrors.oneLine(e) + "; nothing of it was kept", e);
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e); // a dead connection: the server drops the transaction itself
        }
    }

    /** Creates the snapshot table and its chunk table if missing; checks an existing one's columns. */
    private void createIfMissing(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(target.dialect().createSnapshotTable(table));
            statement.execute(target.dialect().createChunkTable(chunkTable));
        }
        checkColumns(connection, table, "data");
        checkColumns(connection, chunkTable, "seq, data");
    }

    private void checkColumns(Connection connection, String name, String extra) {
        String sql = "SELECT " + quotedTimestamp() + ", id, log_id, name, " + extra + " FROM " + name + " WHERE 1 = 0";
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery(sql).close();
        } catch (SQLException e) {
            throw new SnapshotException("table " + name + " of " + target.description()
                    + " exists but does not have the snapshot columns: " + SqlErrors.oneLine(e), e);
        }
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
        sql.append(" ORDER BY ").append(quotedTimestamp()).append(" DESC");
        try (Connection connection = connectForReading();
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
            throw readFailed(e);
        }
    }

    /** Every snapshot in the table, oldest first, with its stored size. */
    public List<SnapshotRow> list() {
        try (Connection connection = connectForReading()) {
            Map<String, Long> chunked = chunkSizes(connection);
            List<SnapshotRow> result = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(selectRows() + " ORDER BY " + quotedTimestamp())) {
                while (rows.next()) {
                    SnapshotRow row = readRow(rows);
                    result.add(row.withBytes(row.bytes() + chunked.getOrDefault(row.key(), 0L)));
                }
            }
            return result;
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /**
     * The bytes of {@code row}, read a chunk at a time over a connection of their own that
     * closing the stream closes.
     */
    public InputStream open(SnapshotRow row) {
        Connection connection = connectForReading();
        try {
            boolean hasChunks = tableExists(connection, chunkTable);
            return new ChunkedRowInput(connection, row, hasChunks);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e instanceof SQLException ? readFailed((SQLException) e) : (RuntimeException) e;
        }
    }

    /** Deletes {@code row} and its chunks in one transaction. */
    public void delete(SnapshotRow row) {
        try (Connection connection = connectForReading()) {
            connection.setAutoCommit(false);
            try {
                if (tableExists(connection, chunkTable)) {
                    try (PreparedStatement statement = connection.prepareStatement(
                            "DELETE FROM " + chunkTable + " WHERE " + rowMatch())) {
                        bindRowMatch(statement, 1, row);
                        statement.executeUpdate();
                    }
                }
                try (PreparedStatement statement = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE " + rowMatch())) {
                    bindRowMatch(statement, 1, row);
                    statement.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new SnapshotException("cannot delete snapshot " + row.name() + " from " + describe() + ": "
                    + SqlErrors.oneLine(e), e);
        }
    }

    /**
     * Pins {@code row} so that prune never deletes it: its id, log_id and name go into
     * {@code <table>_pins}, created if missing. Pinning twice is harmless.
     */
    public void pin(SnapshotRow row) {
        try (Connection connection = connectForReading();
             Statement create = connection.createStatement()) {
            create.execute(target.dialect().createPinTable(pinTable));
            if (pinned(connection).contains(pinKey(row))) {
                return;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + pinTable + " (id, log_id, name) VALUES (?, ?, ?)")) {
                insert.setString(1, row.id());
                insert.setString(2, row.logId());
                insert.setString(3, row.name());
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new SnapshotException("cannot pin snapshot " + row.name() + " in " + describe() + ": "
                    + SqlErrors.oneLine(e), e);
        }
    }

    /** Unpins {@code row}; returns false if it was not pinned. */
    public boolean unpin(SnapshotRow row) {
        try (Connection connection = connectForReading()) {
            if (!tableExists(connection, pinTable)) {
                return false;
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + pinTable + " WHERE id = ? AND log_id = ? AND name = ?")) {
                delete.setString(1, row.id());
                delete.setString(2, row.logId());
                delete.setString(3, row.name());
                return delete.executeUpdate() > 0;
            }
        } catch (SQLException e) {
            throw new SnapshotException("cannot unpin snapshot " + row.name() + " in " + describe() + ": "
                    + SqlErrors.oneLine(e), e);
        }
    }

    /** Whether {@code row} is pinned. */
    public boolean isPinned(SnapshotRow row) {
        return pinned().contains(pinKey(row));
    }

    /** The pinned snapshots, as {@link #pinKey} gives them. */
    public Set<String> pinned() {
        try (Connection connection = connectForReading()) {
            return pinned(connection);
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /** How {@link #pinned()} names a row: its id, log_id and name. */
    public static String pinKey(SnapshotRow row) {
        return row.id() + "\n" + row.logId() + "\n" + row.name();
    }

    private Set<String> pinned(Connection connection) throws SQLException {
        Set<String> keys = new HashSet<>();
        if (!tableExists(connection, pinTable)) {
            return keys;
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, log_id, name FROM " + pinTable)) {
            while (rows.next()) {
                keys.add(strip(rows.getString(1)) + "\n" + strip(rows.getString(2)) + "\n" + strip(rows.getString(3)));
            }
        }
        return keys;
    }

    private Connection connectForReading() {
        Connection connection = target.connect(false);
        try {
            if (!tableExists(connection, table)) {
                throw new SnapshotException("no table " + table + " in " + target.description());
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e instanceof SQLException ? readFailed((SQLException) e) : (RuntimeException) e;
        }
    }

    private static boolean tableExists(Connection connection, String name) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String candidate : new String[] {name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)}) {
            // MariaDB keeps tables under the catalog, PostgreSQL under the connection's schemas.
            try (ResultSet tables = meta.getTables(connection.getCatalog(), null, candidate, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private SnapshotException readFailed(SQLException e) {
        return new SnapshotException("cannot read " + describe() + ": " + SqlErrors.oneLine(e), e);
    }

    private String selectRows() {
        return "SELECT " + quotedTimestamp() + ", " + COLUMNS + ", LENGTH(data) FROM " + table;
    }

    private SnapshotRow readRow(ResultSet rows) throws SQLException {
        Object stored = target.dialect().readStoredTimestamp(rows, 1);
        return new SnapshotRow(target.dialect().toInstant(stored), strip(rows.getString(2)), strip(rows.getString(3)),
                strip(rows.getString(4)), strip(rows.getString(5)), strip(rows.getString(6)), rows.getLong(7), stored);
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip(); // CHAR(36) columns come back padded
    }

    private long chunkBytesOf(Connection connection, SnapshotRow row) throws SQLException {
        if (!tableExists(connection, chunkTable)) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT SUM(LENGTH(data)) FROM " + chunkTable + " WHERE " + rowMatch())) {
            bindRowMatch(statement, 1, row);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    private Map<String, Long> chunkSizes(Connection connection) throws SQLException {
        Map<String, Long> sizes = new HashMap<>();
        if (!tableExists(connection, chunkTable)) {
            return sizes;
        }
        String sql = "SELECT id, log_id, name, " + quotedTimestamp() + ", SUM(LENGTH(data)) FROM " + chunkTable
                + " GROUP BY id, log_id, name, " + quotedTimestamp();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                Object stored = target.dialect().readStoredTimestamp(rows, 4);
                SnapshotRow row = new SnapshotRow(null, strip(rows.getString(1)), strip(rows.getString(2)), null,
                        strip(rows.getString(3)), null, 0, stored);
                sizes.put(row.key(), rows.getLong(5));
            }
        }
        return sizes;
    }

    private String quotedTimestamp() {
        return target.dialect().quote("timestamp");
    }

    /** The condition that selects one snapshot's row, or its chunks. */
    private String rowMatch() {
        return "id = ? AND log_id = ? AND name = ? AND " + quotedTimestamp() + " = ?";
    }

    private int bindRowMatch(PreparedStatement statement, int first, SnapshotRow row) throws SQLException {
        statement.setString(first, row.id());
        statement.setString(first + 1, row.logId());
        statement.setString(first + 2, row.name());
        target.dialect().bindTimestamp(statement, first + 3, row.storedTimestamp);
        return first + 4;
    }

    /**
     * Cuts what a snapshot writer writes into chunks: the first becomes the row's {@code data},
     * the rest rows of the chunk table. One buffer of a chunk's size is reused throughout.
     */
    private final class ChunkedRowOutput extends java.io.OutputStream {
        private final Connection connection;
        private final SnapshotRow row;
        private final Object stored;
        private final byte[] buffer = new byte[chunkBytes];
        private int filled;
        private int nextSeq; // 0: the row itself
        private long total;
        private PreparedStatement chunkInsert;

        ChunkedRowOutput(Connection connection, SnapshotRow row, Object stored) {
            this.connection = connection;
            this.row = row;
            this.stored = stored;
        }

        @Override
        public void write(int b) throws IOException {
            if (filled == buffer.length) {
                emit();
            }
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (filled == buffer.length) {
                    emit();
                }
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
            }
        }

        /** Writes what remains; the caller commits. */
        void finish() throws IOException {
            if (filled > 0 || nextSeq == 0) {
                emit();
            }
            if (chunkInsert != null) {
                try {
                    chunkInsert.close();
                } catch (SQLException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        }

        long total() {
            return total;
        }

        private void emit() throws IOException {
            byte[] value = filled == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, filled);
            try {
                if (nextSeq == 0) {
                    insertRow(value);
                } else {
                    insertChunk(value);
                }
            } catch (SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
            total += filled;
            filled = 0;
            nextSeq++;
        }

        private void insertRow(byte[] data) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " ("
                    + quotedTimestamp() + ", " + COLUMNS + ", data) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                target.dialect().bindTimestamp(insert, 1, stored);
                insert.setString(2, row.id());
                insert.setString(3, row.logId());
                insert.setString(4, row.workflow());
                insert.setString(5, row.name());
                insert.setString(6, row.codec());
                insert.setBytes(7, data);
                insert.executeUpdate();
            }
        }

        private void insertChunk(byte[] data) throws SQLException {
            if (chunkInsert == null) {
                chunkInsert = connection.prepareStatement("INSERT INTO " + chunkTable + " ("
                        + quotedTimestamp() + ", id, log_id, name, seq, data) VALUES (?, ?, ?, ?, ?, ?)");
            }
            target.dialect().bindTimestamp(chunkInsert, 1, stored);
            chunkInsert.setString(2, row.id());
            chunkInsert.setString(3, row.logId());
            chunkInsert.setString(4, row.name());
            chunkInsert.setInt(5, nextSeq);
            chunkInsert.setBytes(6, data);
            chunkInsert.executeUpdate();
            chunkInsert.clearParameters();
        }
    }

    /** A row's bytes: its {@code data}, then its chunks in order, each fetched when needed. */
    private final class ChunkedRowInput extends InputStream {
        private final Connection connection;
        private final SnapshotRow row;
        private final boolean hasChunks;
        private byte[] current = new byte[0];
        private int position;
        private int nextSeq;
        private boolean exhausted;

        ChunkedRowInput(Connection connection, SnapshotRow row, boolean hasChunks) {
            this.connection = connection;
            this.row = row;
            this.hasChunks = hasChunks;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return current[position++] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, bytes, offset, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            while (position == current.length) {
                if (exhausted) {
                    return false;
                }
                current = fetch();
                position = 0;
                if (current == null) {
                    exhausted = true;
                    current = new byte[0];
                    return false;
                }
            }
            return true;
        }

        private byte[] fetch() throws IOException {
            int seq = nextSeq++;
            if (seq > 0 && !hasChunks) {
                return null;
            }
            String sql = seq == 0 ? "SELECT data FROM " + table + " WHERE " + rowMatch()
                    : "SELECT data FROM " + chunkTable + " WHERE " + rowMatch() + " AND seq = ?";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int next = bindRowMatch(statement, 1, row);
                if (seq > 0) {
                    statement.setInt(next, seq);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        if (seq == 0) {
                            throw new IOException("snapshot " + row.name() + " is no longer in " + describe());
                        }
                        return null;
                    }
                    byte[] data = rows.getBytes(1);
                    return data == null ? new byte[0] : data;
                }
            } catch (SQLException e) {
                throw new IOException("cannot read snapshot " + row.name() + " from " + describe() + ": "
                        + SqlErrors.oneLine(e), e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
