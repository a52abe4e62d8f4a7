package io.veles.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.Snapshotter;
import io.veles.snapshot.SnapshotterToDB;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.FreshTables;
import io.veles.testing.LoopWorkflow;
import io.veles.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Snapshots through {@link SnapshotterToDB} into real databases (SQLite always; MariaDB and
 * PostgreSQL on this machine's servers), restored from {@code odbc://} sources.
 */
@Tag("slow")
class DatabaseSnapshotTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FreshTables tables = new FreshTables();

    private String odbc;

    private String table(TestDatabase db) {
        odbc = db.odbc(dir);
        return tables.fresh(db, odbc);
    }

    private SnapshotSettings settings(String table, Codec codec) {
        return SnapshotSettings.builder()
                .prefix("loop")
                .directory(dir.toString())
                .compression(codec)
                .odbc(odbc)
                .table(table)
                .build();
    }

    static Stream<Arguments> everyDatabaseAndCodec() {
        return Stream.of(TestDatabase.values())
                .flatMap(db -> Stream.of(Codec.values()).map(codec -> Arguments.of(db, codec)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyDatabaseAndCodec")
    void aSnapshotRoundTripsThroughTheTable(TestDatabase db, Codec codec) throws Exception {
        String table = table(db);
        LoopWorkflow workflow = new LoopWorkflow(4, 3000, -1);
        Snapshotter snapshotter = Snapshotter.create(workflow, settings(table, codec));
        assertThat(snapshotter).isInstanceOf(SnapshotterToDB.class);
        workflow.initialize();
        workflow.run();
        snapshotter.export();

        List<SnapshotRow> rows = new SnapshotTable(DatabaseTarget.of(odbc), table).list();
        assertThat(rows).hasSize(1);
        SnapshotRow row = rows.get(0);
        assertThat(row.name()).isEqualTo("loop_1");
        assertThat(row.codec()).isEqualTo(codec.argument());
        assertThat(row.workflow()).isEqualTo("loop");
        assertThat(row.id()).isEqualTo(workflow.runContext().id());
        assertThat(snapshotter.destination()).startsWith("odbc://").endsWith("&" + table + "&" + row.id() + "&&loop_1");

        String source = "odbc://" + odbc + "&" + table + "&" + row.id() + "&" + row.logId() + "&loop_1";
        try (SnapshotReader reader = Snapshots.open(source)) {
            assertThat(reader.codec()).isEqualTo(codec);
            LoopWorkflow restored = Snapshots.restore(reader, LoopWorkflow.class, List.of());
            assertThat(restored.state()).isEqualTo(workflow.state());
        }
    }

    /**
     * A role that may read and write tables a DBA made for it, and not create any (PostgreSQL 15's
     * default for the public schema), takes snapshots and restores them.
     */
    @Test
    void aRoleWithoutTheRightToCreateTablesUsesTheTablesMadeForIt() throws Exception {
        String table = table(TestDatabase.POSTGRESQL);
        new SnapshotTable(DatabaseTarget.of(odbc), table).prepare(); // as a DBA would make them
        String role = "writer_" + table;
        try (Connection admin = TestDatabase.POSTGRESQL.admin(odbc);
                java.sql.Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN");
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + table + ", " + table + "_chunks TO " + role);
            try (ResultSet creates =
                    statement.executeQuery("SELECT has_schema_privilege('" + role + "', current_schema(), 'CREATE')")) {
                creates.next();
                org.junit.jupiter.api.Assumptions.assumeFalse(
                        creates.getBoolean(1), "this server lets every role create tables in its schema");
            }
        }
        try {
            odbc = odbc.replace("UID=postgres", "UID=" + role);
            LoopWorkflow workflow = new LoopWorkflow(4, 3000, -1);
            Snapshotter snapshotter = Snapshotter.create(workflow, settings(table, Codec.GZIP));
            workflow.initialize();
            workflow.run();
            snapshotter.export();
            snapshotter.stop();
            try (SnapshotReader reader =
                    Snapshots.open(snapshotter.destination().replace("UID=postgres", "UID=" + role))) {
                assertThat(Snapshots.restore(reader, LoopWorkflow.class, List.of())
                                .state())
                        .isEqualTo(workflow.state());
            }
        } finally {
            odbc = odbc.replace("UID=" + role, "UID=postgres");
            try (Connection admin = TestDatabase.POSTGRESQL.admin(odbc);
                    java.sql.Statement statement = admin.createStatement()) {
                statement.execute("DROP OWNED BY " + role);
                statement.execute("DROP ROLE " + role);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theCreatedTableHasTheSeedsColumnsInEachDialectsNearestTypes(TestDatabase db) throws Exception {
        String table = table(db);
        new SnapshotTable(DatabaseTarget.of(odbc), table).prepare();
        List<String> columns = new ArrayList<>();
        try (Connection connection = db.admin(odbc)) {
            DatabaseMetaData meta = connection.getMetaData();
            try (ResultSet rs = meta.getColumns(connection.getCatalog(), null, table, null)) {
                while (rs.next()) {
                    String type = rs.getString("TYPE_NAME").toUpperCase();
                    int size = rs.getInt("COLUMN_SIZE");
                    boolean sized = type.equals("CHAR")
                            || type.equals("BPCHAR")
                            || (type.equals("VARCHAR") && db == TestDatabase.MARIADB);
                    columns.add(rs.getString("COLUMN_NAME") + " " + type + (sized ? "(" + size + ")" : ""));
                }
            }
        }
        switch (db) {
            case MARIADB:
                assertThat(columns)
                        .containsExactly(
                                "timestamp DATETIME",
                                "id CHAR(36)",
                                "log_id CHAR(36)",
                                "workflow VARCHAR(100)",
                                "name VARCHAR(100)",
                                "codec VARCHAR(10)",
                                "data LONGBLOB");
                assertThat(timestampDigits(db, table)).isEqualTo(6);
                break;
            case POSTGRESQL:
                assertThat(columns)
                        .containsExactly(
                                "timestamp TIMESTAMP",
                                "id BPCHAR(36)",
                                "log_id BPCHAR(36)",
                                "workflow VARCHAR",
                                "name VARCHAR",
                                "codec VARCHAR",
                                "data BYTEA");
                break;
            default:
                assertThat(columns)
                        .containsExactly(
                                "timestamp TEXT",
                                "id TEXT",
                                "log_id TEXT",
                                "workflow TEXT",
                                "name TEXT",
                                "codec TEXT",
                                "data BLOB");
        }
    }

    /**
     * A failed write rolls back, leaving no row: that needs transactions, so on MariaDB the tables
     * are InnoDB even where the server's default engine has none (MyISAM, Aria).
     */
    @org.junit.jupiter.api.Test
    void mariaDbTablesAreTransactionalWhateverTheServersDefaultEngine() throws Exception {
        String table = table(TestDatabase.MARIADB);
        List<String> engines = new ArrayList<>();
        try (Connection admin = TestDatabase.MARIADB.admin(odbc);
                Statement statement = admin.createStatement()) {
            String before;
            try (ResultSet rs = statement.executeQuery("SELECT @@GLOBAL.default_storage_engine")) {
                rs.next();
                before = rs.getString(1);
            }
            statement.execute("SET GLOBAL default_storage_engine = 'MyISAM'");
            try {
                new SnapshotTable(DatabaseTarget.of(odbc), table).prepare();
            } finally {
                statement.execute("SET GLOBAL default_storage_engine = '" + before + "'");
            }
            try (ResultSet rs = statement.executeQuery("SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES "
                    + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '" + table + "%'")) {
                while (rs.next()) {
                    engines.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        assertThat(engines).isNotEmpty().allSatisfy(engine -> assertThat(engine).endsWith(" InnoDB"));
    }

    /**
     * The clock going back between two snapshots of a run (an NTP step, a VM resumed elsewhere)
     * must not make an older row its newest: each new row is stored after the run's newest.
     * Another run's rows do not move it.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRunsNewRowIsItsNewestWhenTheClockWentBack(TestDatabase db) throws Exception {
        String table = table(db);
        SnapshotTable rows = new SnapshotTable(DatabaseTarget.of(odbc), table);
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        rows.insert(
                SnapshotRow.of(now.plusSeconds(3600), "other-1", "other-1", "w", "w_9", "none"), out -> out.write(9));
        for (int i = 1; i <= 3; i++) {
            int written = i;
            // each snapshot's clock an hour behind the one before
            rows.insert(
                    SnapshotRow.of(now.minusSeconds(3600L * i), "run-1", "run-1", "w", "w_" + i, "none"),
                    out -> out.write(written));
        }
        List<SnapshotRow> ofRun = rows.list().stream()
                .filter(row -> row.id().equals("run-1"))
                .sorted(java.util.Comparator.comparing(SnapshotRow::timestamp))
                .toList();
        assertThat(ofRun).extracting(SnapshotRow::name).containsExactly("w_1", "w_2", "w_3");
        assertThat(ofRun.get(0).timestamp()).isEqualTo(now.minusSeconds(3600));
        assertThat(rows.find("run-1", "run-1", null).map(SnapshotRow::name)).contains("w_3");
    }

    private int timestampDigits(TestDatabase db, String table) throws SQLException {
        try (Connection connection = db.admin(odbc);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT DATETIME_PRECISION FROM information_schema.COLUMNS "
                        + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table
                        + "' AND COLUMN_NAME = 'timestamp'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aTableOfTheSeedsSchemaMadeByHandIsUsedAsItIs(TestDatabase db) throws Exception {
        String table = table(db);
        String ddl;
        switch (db) {
            case MARIADB:
                ddl = "CREATE TABLE " + table + " (timestamp DATETIME, id CHAR(36), log_id CHAR(36), "
                        + "workflow VARCHAR(100), name VARCHAR(100), codec VARCHAR(10), data LONGBLOB)";
                break;
            case POSTGRESQL:
                ddl = "CREATE TABLE " + table + " (timestamp TIMESTAMP(0), id CHAR(36), log_id CHAR(36), "
                        + "workflow VARCHAR, name VARCHAR, codec VARCHAR, data BYTEA)";
                break;
            default:
                ddl = "CREATE TABLE " + table + " (timestamp DATETIME, id CHAR(36), log_id CHAR(36), "
                        + "workflow VARCHAR(100), name VARCHAR(100), codec VARCHAR(10), data BLOB)";
        }
        try (Connection connection = db.admin(odbc);
                Statement statement = connection.createStatement()) {
            statement.execute(ddl);
        }
        // Chunked, so that the chunk rows must be found by the row's (coarser) timestamp.
        SnapshotTable store = new SnapshotTable(DatabaseTarget.of(odbc), table, 16 << 10);
        LoopWorkflow workflow = new LoopWorkflow(3, 20_000, -1);
        workflow.initialize();
        workflow.run();
        byte[] snapshot = io.veles.testing.RoundTrip.write(workflow, Codec.NONE);
        store.insert(
                SnapshotRow.of(
                        java.time.Instant.parse("2026-11-25T10:15:30.123456789Z"),
                        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                        "loop",
                        "loop_hand",
                        "none"),
                out -> out.write(snapshot));
        try (Connection connection = db.admin(odbc);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        SnapshotRow row = store.find("3f2504e0-4f89-11d3-9a0c-0305e82c3301", null, "loop_hand")
                .orElseThrow();
        assertThat(row.bytes()).isEqualTo(snapshot.length);
        try (var in = store.open(row)) {
            assertThat(in.readAllBytes()).isEqualTo(snapshot);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSnapshotLargerThanAChunkIsSplitAndReadBackWhole(TestDatabase db) throws Exception {
        String table = table(db);
        SnapshotTable store = new SnapshotTable(DatabaseTarget.of(odbc), table, 64 << 10);
        byte[] bytes = new byte[(64 << 10) * 5 + 123];
        new java.util.Random(4).nextBytes(bytes);
        SnapshotRow written = SnapshotRow.of(java.time.Instant.now(), "run-1", "log-1", "w", "w_big", "none");
        assertThat(store.insert(written, out -> {
                            for (int i = 0; i < bytes.length; i += 1000) {
                                out.write(bytes, i, Math.min(1000, bytes.length - i)); // a writer's small pieces
                            }
                        })
                        .bytes())
                .isEqualTo(bytes.length);
        byte[] small = {1, 2, 3};
        store.insert(
                SnapshotRow.of(java.time.Instant.now().plusSeconds(1), "run-1", "log-1", "w", "w_small", "none"),
                out -> out.write(small));

        SnapshotRow big = store.find("run-1", "log-1", "w_big").orElseThrow();
        assertThat(big.bytes()).isEqualTo(bytes.length);
        try (var in = store.open(big)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(store.find("run-1", null, null).orElseThrow().name())
                .as("newest")
                .isEqualTo("w_small");
        try (Connection connection = db.admin(odbc);
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT data FROM " + table + " WHERE name = 'w_small'")) {
                rs.next();
                assertThat(rs.getBytes(1))
                        .as("a small snapshot is whole in data")
                        .isEqualTo(small);
            }
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table + "_chunks")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(5);
            }
        }
        store.delete(big);
        assertThat(store.list()).extracting(SnapshotRow::name).containsExactly("w_small");
        try (Connection connection = db.admin(odbc);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table + "_chunks")) {
            rs.next();
            assertThat(rs.getInt(1)).as("chunks go with their row").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRowsDataWrittenToDiskIsASnapshotFile(TestDatabase db) throws Exception {
        String table = table(db);
        LoopWorkflow workflow = new LoopWorkflow(2, 100, -1);
        Snapshotter snapshotter = Snapshotter.create(workflow, settings(table, Codec.XZ));
        workflow.initialize();
        workflow.run();
        snapshotter.export();
        Path file = dir.resolve("from-row.xz");
        try (Connection connection = db.admin(odbc);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT data FROM " + table)) {
            rs.next();
            Files.write(file, rs.getBytes(1));
        }
        try (SnapshotReader reader = Snapshots.open(file.toString())) {
            assertThat(Snapshots.restore(reader, LoopWorkflow.class, List.of()).state())
                    .isEqualTo(workflow.state());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void injectionAttemptsAreRefusedAndTheTableSurvives(TestDatabase db) {
        String table = table(db);
        SnapshotTable store = new SnapshotTable(DatabaseTarget.of(odbc), table);
        store.insert(SnapshotRow.of(java.time.Instant.now(), "run-1", "run-1", "w", "w_1", "gz"), out -> out.write(1));

        String drop = "x'; DROP TABLE " + table + "; --";
        assertThatThrownBy(() -> new SnapshotTable(DatabaseTarget.of(odbc), table + "; DROP TABLE " + table))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("is not an identifier");
        assertThatThrownBy(() -> store.insert(
                        SnapshotRow.of(java.time.Instant.now(), "run-1", "run-1", "w", drop, "gz"),
                        out -> out.write(1)))
                .hasMessageContaining("snapshot name")
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> store.insert(
                        SnapshotRow.of(java.time.Instant.now(), drop, "run-1", "w", "w_2", "gz"), out -> out.write(1)))
                .hasMessageContaining("id")
                .hasMessageContaining("not a run id");
        assertThatThrownBy(() -> store.insert(
                        SnapshotRow.of(java.time.Instant.now(), "run-1", "1' OR '1'='1", "w", "w_2", "gz"),
                        out -> out.write(1)))
                .hasMessageContaining("log_id");
        for (String source : new String[] {
            "odbc://" + odbc + "&" + table + "&" + drop,
            "odbc://" + odbc + "&" + table + "&run-1&" + drop,
            "odbc://" + odbc + "&" + table + "&run-1&run-1&" + drop,
            "odbc://" + odbc + "&" + table + " WHERE 1=1; --&run-1"
        }) {
            assertThatThrownBy(() -> Snapshots.open(source)).isInstanceOf(SnapshotException.class);
        }
        assertThat(store.list()).extracting(SnapshotRow::name).containsExactly("w_1");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void clearErrorsForAMissingTableAndAMissingSnapshot(TestDatabase db) {
        String table = table(db);
        new SnapshotTable(DatabaseTarget.of(odbc), table).prepare();
        assertThatThrownBy(() -> Snapshots.open("odbc://" + odbc + "&nosuchtable&run-1"))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("no table nosuchtable in ");
        assertThatThrownBy(() -> Snapshots.open("odbc://" + odbc + "&" + table + "&run-1"))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("no snapshot matches odbc://");
    }
}
