package io.veles.snapshot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotStoreException;
import io.veles.internal.db.OdbcSource;
import io.veles.snapshot.codec.Codec;
import io.veles.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;

/**
 * A snapshot table made by hand whose timestamp column is a DATE took the first snapshot, then
 * refused to give its time back: the next write and every read failed, and the run had named that
 * first snapshot its last complete one. Refused before anything is written, naming the column.
 */
@Tag("slow")
class HandMadeTableTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = TestDatabase.class,
            names = {"MARIADB", "POSTGRESQL"}) // SQLite keeps a value as written, whatever its column type
    void aTimestampColumnOfTypeDateIsRefusedBeforeAnyWrite(TestDatabase database) throws Exception {
        String odbc = database.odbc(dir);
        String table = TestDatabase.freshTable();
        String data = database == TestDatabase.MARIADB ? "longblob" : "bytea";
        try (Connection connection = database.admin(odbc);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (timestamp date, id varchar(36), log_id varchar(36),"
                    + " workflow varchar(100), name varchar(100), codec varchar(10), data " + data + ")");
        }
        try (TableStore store = new TableStore(new OdbcSource(odbc, table, "", "", ""))) {
            assertThatThrownBy(() -> store.write(snapshot("run_1"), out -> out.write(new byte[] {1, 2, 3})))
                    .isInstanceOf(SnapshotStoreException.class)
                    .hasMessageContaining("table " + table)
                    .hasMessageContaining("has a timestamp column of type")
                    .hasMessageContaining("make it a TIMESTAMP");
        } finally {
            database.drop(odbc, table);
        }
        try (Connection connection = database.admin(odbc);
                Statement statement = connection.createStatement()) {
            assertThat(statement.executeQuery("SELECT 1").next()).isTrue(); // the server is fine, the table gone
        }
    }

    /**
     * A user allowed only to read the table was refused at the first snapshot, after the work
     * before it: a writer's lock (taken as a run starts) now checks that rows can be added.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestDatabase.class,
            names = {"MARIADB", "POSTGRESQL"})
    void aUserWhoMayOnlyReadIsRefusedWhenTheWriterStarts(TestDatabase database) throws Exception {
        String odbc = database.odbc(dir);
        String table = TestDatabase.freshTable();
        String user = "ro_" + table;
        try (TableStore store = new TableStore(new OdbcSource(odbc, table, "", "", ""))) {
            store.write(snapshot("run_1"), out -> out.write(new byte[] {1, 2, 3})); // makes the tables
        }
        try (Connection connection = database.admin(odbc);
                Statement statement = connection.createStatement()) {
            if (database == TestDatabase.MARIADB) {
                statement.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'");
                statement.execute("GRANT SELECT ON test.* TO '" + user + "'@'%'");
            } else {
                statement.execute("CREATE ROLE " + user + " LOGIN PASSWORD 'pw'");
                statement.execute("GRANT SELECT ON " + table + ", " + table + "_chunks TO " + user);
            }
        }
        String readOnly = database == TestDatabase.MARIADB
                ? "jdbc:mariadb://127.0.0.1:3306/test?user=" + user + "&password=pw"
                : "jdbc:postgresql://127.0.0.1:5432/test?user=" + user + "&password=pw";
        try (TableStore store = new TableStore(new OdbcSource(readOnly, table, "", "", ""))) {
            assertThat(store.list()).extracting(StoredSnapshot::name).containsExactly("run_1"); // reading is allowed
            assertThatThrownBy(() -> store.lockPrefix("run", "run-2"))
                    .isInstanceOf(SnapshotStoreException.class)
                    .hasMessageContaining("cannot write to table " + table)
                    .hasMessageMatching("(?s).*(denied|permission).*");
        } finally {
            try (Connection connection = database.admin(odbc);
                    Statement statement = connection.createStatement()) {
                if (database == TestDatabase.MARIADB) {
                    statement.execute("DROP USER '" + user + "'@'%'");
                } else {
                    statement.execute("REVOKE ALL ON " + table + ", " + table + "_chunks FROM " + user);
                    statement.execute("DROP ROLE " + user);
                }
            }
            database.drop(odbc, table);
        }
    }

    private static NewSnapshot snapshot(String name) {
        return new NewSnapshot("run", name.substring(4), Instant.now(), "run-1", "run-1", "w", Codec.NONE);
    }
}
