package io.veles.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshotter;
import io.veles.snapshot.codec.Codec;
import io.veles.testing.FreshTables;
import io.veles.testing.LoopWorkflow;
import io.veles.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Random;

/**
 * The server ends the writer's connection in the middle of a snapshot ({@code KILL} on MariaDB,
 * {@code pg_terminate_backend} on PostgreSQL): nothing of that snapshot is visible afterwards,
 * earlier snapshots are untouched, and the snapshotter follows its failure policy. (SQLite's
 * writer is killed with SIGKILL instead, in the command line's tests.)
 */
@Tag("slow")
class ConnectionLossTest {
    private static final int CHUNK = 64 << 10;

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshTables tables = new FreshTables();

    private TestDatabase database;
    private String odbc;
    private String table;

    private void connect(TestDatabase db) {
        database = db;
        odbc = db.odbc(dir);
        table = tables.fresh(db, odbc);
    }

    /**
     * Ends the writer's connection, as an administrator would: on MariaDB every other connection to
     * the test database, on PostgreSQL the one whose last statement names this test's table.
     */
    private void killWriters() throws SQLException {
        try (Connection admin = database.admin(odbc);
                Statement statement = admin.createStatement()) {
            if (database == TestDatabase.MARIADB) {
                try (ResultSet ids = statement.executeQuery("SELECT id FROM information_schema.processlist "
                        + "WHERE db = 'test' AND id <> CONNECTION_ID()")) {
                    java.util.List<Long> victims = new java.util.ArrayList<>();
                    while (ids.next()) {
                        victims.add(ids.getLong(1));
                    }
                    assertThat(victims).as("the writer's connection").isNotEmpty();
                    for (long id : victims) {
                        try (Statement kill = admin.createStatement()) {
                            kill.execute("KILL " + id);
                        }
                    }
                }
            } else {
                try (ResultSet killed = statement.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE datname = 'test' AND pid <> pg_backend_pid() AND application_name = 'veles'"
                        // only this test's writer: its last statement names the test's own table
                        + " AND query LIKE '%" + table + "%'")) {
                    assertThat(killed.next()).as("the writer's connection").isTrue();
                }
            }
        }
    }

    private long count(String name) throws SQLException {
        try (Connection admin = database.admin(odbc);
                Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TestDatabase.class,
            names = {"MARIADB", "POSTGRESQL"})
    void aConnectionKilledMidInsertLeavesNothingHalfVisible(TestDatabase db) throws Exception {
        connect(db);
        SnapshotTable store = new SnapshotTable(DatabaseTarget.of(odbc), table, CHUNK);
        store.insert(
                SnapshotRow.of(Instant.now(), "run-1", "run-1", "w", "w_before", "none"),
                out -> out.write(new byte[100]));

        byte[] piece = new byte[CHUNK];
        new Random(1).nextBytes(piece);
        assertThatThrownBy(() ->
                        store.insert(SnapshotRow.of(Instant.now(), "run-1", "run-1", "w", "w_killed", "none"), out -> {
                            for (int i = 0; i < 4; i++) {
                                out.write(piece); // the row and some chunks are inserted, not committed
                            }
                            out.flush();
                            try {
                                killWriters();
                            } catch (SQLException e) {
                                throw new AssertionError(e);
                            }
                            for (int i = 0; i < 4; i++) {
                                out.write(piece);
                            }
                        }))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("cannot store snapshot w_killed in table " + table)
                .hasMessageEndingWith("nothing of it was kept");

        assertThat(store.list()).extracting(SnapshotRow::name).containsExactly("w_before");
        assertThat(count(table + "_chunks")).isZero();
    }

    @ParameterizedTest
    @EnumSource(
            value = TestDatabase.class,
            names = {"MARIADB", "POSTGRESQL"})
    void underOnFailureWarnTheRunGoesOnAndTheNextSnapshotIsStored(TestDatabase db) throws Exception {
        connect(db);
        LoopWorkflow workflow = new LoopWorkflow(3, 10, -1);
        Snapshotter snapshotter = Snapshotter.create(
                workflow,
                SnapshotSettings.builder()
                        .prefix("loop")
                        .directory(dir.toString())
                        .compression(Codec.GZIP)
                        .odbc(odbc)
                        .table(table)
                        .onFailure(SnapshotSettings.FailurePolicy.WARN)
                        .build());
        workflow.initialize();
        workflow.run();
        snapshotter.export();
        try (Connection admin = database.admin(odbc);
                Statement statement = admin.createStatement()) {
            // Someone puts an unrelated table in the store's place.
            statement.execute("ALTER TABLE " + table + " RENAME TO " + table + "_away");
            statement.execute("CREATE TABLE " + table + " (other INTEGER)");
        }
        snapshotter.export(); // logged, not thrown
        try (Connection admin = database.admin(odbc);
                Statement statement = admin.createStatement()) {
            statement.execute("DROP TABLE " + table);
            statement.execute("ALTER TABLE " + table + "_away RENAME TO " + table);
        }
        snapshotter.export();
        assertThat(new SnapshotTable(DatabaseTarget.of(odbc), table).list())
                .extracting(SnapshotRow::name)
                .containsExactly("loop_1", "loop_2");
    }
}
