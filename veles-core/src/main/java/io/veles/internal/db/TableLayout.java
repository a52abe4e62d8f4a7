package io.veles.internal.db;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.util.Messages;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The names and shared SQL of one snapshot table: the table, its {@code <table>_chunks} and
 * {@code <table>_pins}, the quoted timestamp column, and the condition that finds one row (or its
 * chunks) again. What the row, chunk, pin and schema classes all need, in one place.
 */
final class TableLayout {
    static final String CHUNK_SUFFIX = "_chunks";
    static final String PIN_SUFFIX = "_pins";
    static final String COLUMNS = "id, log_id, workflow, name, codec";

    final DatabaseTarget target;
    final String table;
    final String chunkTable;
    final String pinTable;

    TableLayout(DatabaseTarget target, String table) {
        this.target = target;
        this.table = Identifiers.table(table);
        this.chunkTable = table + CHUNK_SUFFIX;
        this.pinTable = table + PIN_SUFFIX;
    }

    Dialect dialect() {
        return target.dialect();
    }

    /** The table's name with its database, for messages. */
    String describe() {
        return "table " + table + " of " + target.description();
    }

    String quotedTimestamp() {
        return dialect().quote("timestamp");
    }

    /** The condition that selects one snapshot's row, or its chunks. */
    String rowMatch() {
        return "id = ? AND log_id = ? AND name = ? AND " + quotedTimestamp() + " = ?";
    }

    /** Binds {@link #rowMatch} from parameter {@code first} on; returns the next parameter's index. */
    int bindRowMatch(PreparedStatement statement, int first, SnapshotRow row) throws SQLException {
        statement.setString(first, row.id());
        statement.setString(first + 1, row.logId());
        statement.setString(first + 2, row.name());
        dialect().bindTimestamp(statement, first + 3, row.storedTimestamp);
        return first + 4;
    }

    SnapshotException readFailed(SQLException e) {
        return new SnapshotStoreException("cannot read " + describe() + ": " + Messages.innermostOneLine(e), e);
    }

    /** A connection to a database that has the snapshot table; refuses in one line if it has not. */
    Connection connectForReading() {
        Connection connection = target.connect(false);
        try {
            if (!exists(connection, table)) {
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

    static boolean exists(Connection connection, String name) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        // MariaDB keeps tables under the catalog, PostgreSQL under the connection's schema (where
        // an unqualified name is created): any schema would find information_schema's "tables".
        String schema = connection.getSchema();
        for (String candidate : new String[] {name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)}) {
            try (ResultSet tables = meta.getTables(connection.getCatalog(), schema, candidate, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A CHAR column's value: CHAR(36) columns come back padded, NULL as empty. */
    static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    /**
     * A VARCHAR column's value as stored, NULL as empty: a name ending in spaces (a suffix
     * formatted {@code %-6.2f}) must read back as written, or no statement finds its row again.
     */
    static String asStored(String value) {
        return value == null ? "" : value;
    }

    static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e); // a dead connection: the server drops the transaction itself
        }
    }
}
