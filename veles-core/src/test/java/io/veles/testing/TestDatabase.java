package io.veles.testing;

import io.veles.errors.SnapshotException;
import io.veles.internal.db.DatabaseTarget;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * The databases the store is tested against: the servers on this machine (MariaDB at
 * 127.0.0.1:3306, root without a password; PostgreSQL at 127.0.0.1:5432, trust) and an embedded
 * SQLite file. A server that does not answer skips its tests with a message, unless
 * {@code VELES_REQUIRE_DB=1} (as on CI), where it fails them.
 */
public enum TestDatabase {
    SQLITE(null),
    MARIADB("DRIVER={MariaDB Unicode};SERVER=127.0.0.1;PORT=3306;DATABASE=test;UID=root;PWD="),
    POSTGRESQL("DRIVER={PostgreSQL Unicode};SERVER=127.0.0.1;PORT=5432;DATABASE=test;UID=postgres");

    private static final Map<TestDatabase, String> UNAVAILABLE = new EnumMap<>(TestDatabase.class);
    private final String serverOdbc;

    TestDatabase(String serverOdbc) {
        this.serverOdbc = serverOdbc;
    }

    /**
     * The ODBC string of this database (for SQLite, a file in {@code dir}); skips or fails the
     * calling test when the server does not answer.
     */
    public String odbc(Path dir) {
        if (this == SQLITE) {
            return "DRIVER={SQLite3};DATABASE=" + dir.resolve("snapshots.db");
        }
        requireServer();
        return serverOdbc;
    }

    private synchronized void requireServer() {
        if (!UNAVAILABLE.containsKey(this)) {
            try (Connection ignored = DatabaseTarget.of(serverOdbc).connect(true)) {
                UNAVAILABLE.put(this, null);
            } catch (SnapshotException | SQLException e) {
                UNAVAILABLE.put(this, e.getMessage());
            }
        }
        String problem = UNAVAILABLE.get(this);
        if (problem != null) {
            Requirement.skipOrFail("VELES_REQUIRE_DB", this + " is not reachable (" + problem + ")");
        }
    }

    /** A table name no other test uses. */
    public static String freshTable() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Opens an administrative connection, for checks and faults the store itself would not make. */
    public Connection admin(String odbc) {
        return DatabaseTarget.of(odbc).connect(true);
    }

    /** Drops {@code table}, its chunk table and its pin table. */
    public void drop(String odbc, String table) {
        try (Connection connection = admin(odbc);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table + "_chunks");
            statement.execute("DROP TABLE IF EXISTS " + table + "_pins");
            statement.execute("DROP TABLE IF EXISTS " + table);
        } catch (SQLException e) {
            throw new AssertionError("cannot drop " + table + ": " + e.getMessage(), e);
        }
    }
}
