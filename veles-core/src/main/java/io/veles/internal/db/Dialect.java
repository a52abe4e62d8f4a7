package io.veles.internal.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What differs between the databases we store snapshots in: the column types of VELES's table
 * (each dialect's nearest), identifier quoting, and how a timestamp is bound and read.
 * Timestamps are stored in UTC, to the microsecond, without a zone.
 */
public enum Dialect {
    MARIADB("MariaDB", "`", "DATETIME(6)", "CHAR(36)", "VARCHAR(100)", "VARCHAR(10)", "LONGBLOB"),
    POSTGRESQL("PostgreSQL", "\"", "TIMESTAMP", "CHAR(36)", "VARCHAR", "VARCHAR", "BYTEA"),
    /** SQLite's nearest affinities: text for the timestamp (ISO-8601, sortable) and names, blob for data. */
    SQLITE("SQLite", "\"", "TEXT", "TEXT", "TEXT", "TEXT", "BLOB") {
        @Override
        void bindTimestamp(PreparedStatement statement, int index, Object stored) throws SQLException {
            statement.setString(index, (String) stored);
        }

        @Override
        Object storedTimestamp(Instant instant) {
            return SQLITE_TIME.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }

        @Override
        Object readStoredTimestamp(ResultSet rows, int column) throws SQLException {
            return rows.getString(column);
        }

        @Override
        Instant toInstant(Object stored) {
            if (stored == null) {
                return Instant.EPOCH;
            }
            String text = ((String) stored).strip();
            try {
                return LocalDateTime.parse(text, SQLITE_TIME_READER).toInstant(ZoneOffset.UTC);
            } catch (RuntimeException notIso) {
                return Instant.EPOCH; // a hand-made table may store anything; it still lists
            }
        }

        @Override
        boolean isMissingTable(SQLException e) {
            return e.getMessage() != null && e.getMessage().contains("no such table");
        }
    };

    private static final DateTimeFormatter SQLITE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final DateTimeFormatter SQLITE_TIME_READER = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private final String displayName;
    private final String quote;
    private final String timestampType;
    private final String uuidType;
    private final String nameType;
    private final String codecType;
    private final String blobType;

    Dialect(
            String displayName,
            String quote,
            String timestampType,
            String uuidType,
            String nameType,
            String codecType,
            String blobType) {
        this.displayName = displayName;
        this.quote = quote;
        this.timestampType = timestampType;
        this.uuidType = uuidType;
        this.nameType = nameType;
        this.codecType = codecType;
        this.blobType = blobType;
    }

    public String displayName() {
        return displayName;
    }

    /** A column name quoted for this dialect ({@code timestamp} is a keyword in some). */
    String quote(String column) {
        return quote + column + quote;
    }

    /** VELES's table: one row per snapshot. */
    String createSnapshotTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " ("
                + quote("timestamp") + " " + timestampType + ", "
                + "id " + uuidType + ", "
                + "log_id " + uuidType + ", "
                + "workflow " + nameType + ", "
                + "name " + nameType + ", "
                + "codec " + codecType + ", "
                + "data " + blobType + ")" + tableOptions();
    }

    /**
     * Options after a created table's columns: on MariaDB the InnoDB engine, named rather than
     * left to the server's default, since a write's rollback (a failed snapshot leaving no row)
     * needs transactions, which MyISAM and Aria do not have.
     */
    private String tableOptions() {
        return this == MARIADB ? " ENGINE=InnoDB" : "";
    }

    /**
     * The continuation of snapshots larger than one chunk: their bytes after the first chunk, in
     * order, keyed by the columns that identify the snapshot's row.
     */
    String createChunkTable(String chunkTable) {
        return "CREATE TABLE IF NOT EXISTS " + chunkTable + " ("
                + quote("timestamp") + " " + timestampType + " NOT NULL, "
                + "id " + uuidType + " NOT NULL, "
                + "log_id " + uuidType + " NOT NULL, "
                + "name " + nameType + " NOT NULL, "
                + "seq INTEGER NOT NULL, "
                + "data " + blobType + " NOT NULL, "
                + "PRIMARY KEY (id, log_id, name, " + quote("timestamp") + ", seq))" + tableOptions();
    }

    /**
     * The snapshots that prune must never delete, by the columns that identify a run's snapshot.
     * Created only when the first snapshot is pinned.
     */
    String createPinTable(String pinTable) {
        return "CREATE TABLE IF NOT EXISTS " + pinTable + " ("
                + "id " + uuidType + " NOT NULL, "
                + "log_id " + uuidType + " NOT NULL, "
                + "name " + nameType + " NOT NULL, "
                + "PRIMARY KEY (id, log_id, name))" + tableOptions();
    }

    /** The value stored for {@code instant}: UTC, truncated to the microsecond. */
    Object storedTimestamp(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    void bindTimestamp(PreparedStatement statement, int index, Object stored) throws SQLException {
        statement.setObject(index, stored);
    }

    /** The timestamp as stored, to be bound again to find the same row. */
    Object readStoredTimestamp(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, LocalDateTime.class);
    }

    Instant toInstant(Object stored) {
        return stored == null ? Instant.EPOCH : ((LocalDateTime) stored).toInstant(ZoneOffset.UTC);
    }

    /** Whether {@code e} says that a table does not exist. */
    boolean isMissingTable(SQLException e) {
        return "42S02".equals(e.getSQLState()) || "42P01".equals(e.getSQLState());
    }
}
