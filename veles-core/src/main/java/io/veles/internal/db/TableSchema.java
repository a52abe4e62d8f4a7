package io.veles.internal.db;

import io.veles.errors.SnapshotStoreException;
import io.veles.internal.util.Messages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Locale;

/**
 * The snapshot table's schema: creates the table and its chunk table with the dialect's nearest
 * types if missing, checks that an existing one has VELES's columns, and tells how precisely
 * its timestamp column keeps time.
 */
final class TableSchema {
    private final TableLayout layout;
    /** Whether the engine check passed: once per schema object, not a catalogue query per snapshot. */
    private volatile boolean transactional;

    TableSchema(TableLayout layout) {
        this.layout = layout;
    }

    /** Creates the snapshot table and its chunk table if missing; checks an existing one's columns. */
    void createIfMissing(Connection connection) throws SQLException {
        createIfMissing(connection, layout.table, layout.dialect().createSnapshotTable(layout.table));
        createIfMissing(connection, layout.chunkTable, layout.dialect().createChunkTable(layout.chunkTable));
        checkColumns(connection, layout.table, "data");
        checkColumns(connection, layout.chunkTable, "seq, data");
        if (layout.dialect() == Dialect.MARIADB && !transactional) {
            checkTransactional(connection, layout.table);
            checkTransactional(connection, layout.chunkTable);
            transactional = true;
        }
    }

    /**
     * A snapshot's row and its chunks are written in one transaction, so that a failed or killed
     * write leaves no row: a table made before (by hand, or under a server default) in an engine
     * without transactions (MyISAM, Aria, MEMORY...) would keep a half-written row as the run's
     * newest. Refused, naming the engine.
     */
    private void checkTransactional(Connection connection, String name) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement("SELECT t.engine, e.transactions FROM information_schema.tables t"
                        + " LEFT JOIN information_schema.engines e ON e.engine = t.engine"
                        // as created (unquoted: case kept), or as a server folding names stores it
                        + " WHERE t.table_schema = DATABASE() AND t.table_name IN (?, ?)")) {
            query.setString(1, name);
            query.setString(2, name.toLowerCase(Locale.ROOT));
            try (ResultSet tables = query.executeQuery()) {
                // only an engine known to lack transactions: a view has none to ask about
                if (tables.next() && "NO".equalsIgnoreCase(tables.getString(2))) {
                    throw new SnapshotStoreException("table " + name + " of " + layout.target.description()
                            + " uses the " + tables.getString(1) + " engine, which has no transactions: a failed"
                            + " write would leave a half-written snapshot; convert it (ALTER TABLE " + name
                            + " ENGINE=InnoDB) or name another table");
                }
            }
        }
    }

    /** Creates the pin table if missing. */
    void createPinsIfMissing(Connection connection) throws SQLException {
        createIfMissing(connection, layout.pinTable, layout.dialect().createPinTable(layout.pinTable));
    }

    /**
     * Runs {@code create} (a CREATE TABLE IF NOT EXISTS) only when {@code name} is missing:
     * PostgreSQL asks for the right to create in the schema even when the table exists, and a role
     * a DBA gave only SELECT, INSERT and DELETE on tables made for it has none. The statement
     * keeps IF NOT EXISTS for two runs that both find the table missing.
     */
    private static void createIfMissing(Connection connection, String name, String create) throws SQLException {
        if (!TableLayout.exists(connection, name)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(create);
            }
        }
    }

    private void checkColumns(Connection connection, String name, String extra) {
        String sql = "SELECT " + layout.quotedTimestamp() + ", id, log_id, name, " + extra + " FROM " + name
                + " WHERE 1 = 0";
        int timestampType;
        String timestampTypeName;
        try (Statement statement = connection.createStatement();
                ResultSet none = statement.executeQuery(sql)) {
            timestampType = none.getMetaData().getColumnType(1);
            timestampTypeName = none.getMetaData().getColumnTypeName(1);
        } catch (SQLException e) {
            throw new SnapshotStoreException(
                    "table " + name + " of " + layout.target.description()
                            + " exists but does not have the snapshot columns: " + Messages.innermostOneLine(e),
                    e);
        }
        // A DATE column (a table made by hand) took the first snapshot, then refused to give its
        // time back: the next write and every read failed, and the run had named that snapshot as
        // its last complete one. SQLite keeps any type as written.
        if (layout.dialect() != Dialect.SQLITE && (timestampType == Types.DATE || timestampType == Types.TIME)) {
            throw new SnapshotStoreException("table " + name + " of " + layout.target.description()
                    + " has a timestamp column of type " + timestampTypeName
                    + ", which keeps no date and time of day together: make it a TIMESTAMP"
                    + (layout.dialect() == Dialect.MARIADB ? " or DATETIME(6)" : "") + ", or name another table");
        }
    }

    /** The fractional digits the table's timestamp column keeps (6 unless it says fewer). */
    int timestampDigits(Connection connection) throws SQLException {
        if (layout.dialect() == Dialect.SQLITE) {
            return 6; // stored as text, exactly as we format it
        }
        String schema = layout.dialect() == Dialect.MARIADB ? "DATABASE()" : "current_schema()";
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT datetime_precision FROM information_schema.columns" + " WHERE table_schema = " + schema
                        + " AND LOWER(table_name) = ? AND column_name = 'timestamp'")) {
            query.setString(1, layout.table.toLowerCase(Locale.ROOT));
            try (ResultSet columns = query.executeQuery()) {
                if (columns.next()) {
                    int digits = columns.getInt(1);
                    return columns.wasNull() ? 6 : Math.max(0, Math.min(6, digits));
                }
            }
        }
        return 6;
    }
}
