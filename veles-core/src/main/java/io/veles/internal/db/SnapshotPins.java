package io.veles.internal.db;

import io.veles.errors.SnapshotStoreException;
import io.veles.internal.util.Messages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The pins of a snapshot table: the id, log_id and name of each pinned row in
 * {@code <table>_pins}, created when the first is pinned. Prune never deletes a pinned row.
 */
public final class SnapshotPins {
    private final TableLayout layout;
    private final TableSchema schema;

    public SnapshotPins(DatabaseTarget target, String table) {
        this.layout = new TableLayout(target, table);
        this.schema = new TableSchema(layout);
    }

    /** Pins {@code row}; pinning twice is harmless. */
    public void pin(SnapshotRow row) {
        try (Connection connection = layout.connectForReading()) {
            schema.createPinsIfMissing(connection);
            if (pinned(connection).contains(keyOf(row))) {
                return;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + layout.pinTable + " (id, log_id, name) VALUES (?, ?, ?)")) {
                insert.setString(1, row.id());
                insert.setString(2, row.logId());
                insert.setString(3, row.name());
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new SnapshotStoreException(
                    "cannot pin snapshot " + row.name() + " in " + layout.describe() + ": "
                            + Messages.innermostOneLine(e),
                    e);
        }
    }

    /** Unpins {@code row}; returns false if it was not pinned. */
    public boolean unpin(SnapshotRow row) {
        try (Connection connection = layout.connectForReading()) {
            if (!TableLayout.exists(connection, layout.pinTable)) {
                return false;
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + layout.pinTable + " WHERE id = ? AND log_id = ? AND name = ?")) {
                delete.setString(1, row.id());
                delete.setString(2, row.logId());
                delete.setString(3, row.name());
                return delete.executeUpdate() > 0;
            }
        } catch (SQLException e) {
            throw new SnapshotStoreException(
                    "cannot unpin snapshot " + row.name() + " in " + layout.describe() + ": "
                            + Messages.innermostOneLine(e),
                    e);
        }
    }

    public boolean isPinned(SnapshotRow row) {
        return pinned().contains(keyOf(row));
    }

    /** The pinned snapshots, as {@link #keyOf} names them. */
    public Set<String> pinned() {
        try (Connection connection = layout.connectForReading()) {
            return pinned(connection);
        } catch (SQLException e) {
            throw layout.readFailed(e);
        }
    }

    /** How a pin names a row: its id, log_id and name (a pin outlives the row's timestamp). */
    public static String keyOf(SnapshotRow row) {
        return row.id() + "\n" + row.logId() + "\n" + row.name();
    }

    private Set<String> pinned(Connection connection) throws SQLException {
        Set<String> keys = new HashSet<>();
        if (!TableLayout.exists(connection, layout.pinTable)) {
            return keys;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, log_id, name FROM " + layout.pinTable)) {
            while (rows.next()) {
                keys.add(TableLayout.strip(rows.getString(1)) + "\n" + TableLayout.strip(rows.getString(2)) + "\n"
                        + TableLayout.strip(rows.getString(3)));
            }
        }
        return keys;
    }
}
