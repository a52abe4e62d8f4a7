package io.veles.cli;

import static io.veles.cli.VelesProcess.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.veles.internal.db.DatabaseTarget;
import io.veles.internal.db.SnapshotRow;
import io.veles.internal.db.SnapshotTable;
import io.veles.snapshot.SnapshotListing;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.FreshTables;
import io.veles.testing.TestDatabase;
import io.veles.testing.TestDepth;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs that store snapshots in a database, killed with SIGKILL: every visible snapshot stays whole
 * (a kill mid-transaction leaves nothing of that snapshot), and a run resumed from {@code odbc://}
 * ends as the uninterrupted run does. Chunks are made small so that each snapshot spans many rows.
 */
@Tag("slow")
class DatabaseKillTest {
    private static final List<String> SMALL_CHUNKS = List.of("-Dveles.snapshot.db.chunkBytes=65536");

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshTables tables = new FreshTables();

    private String odbc;
    private String table;

    private void use(TestDatabase db) {
        odbc = db.odbc(dir);
        table = tables.fresh(db, odbc);
    }

    private SnapshotTable store() {
        return new SnapshotTable(DatabaseTarget.of(odbc), table);
    }

    private int rows() {
        try {
            return store().list().size();
        } catch (RuntimeException noTableYet) {
            return 0;
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void killsDuringASnapshotLoopLeaveEveryVisibleSnapshotWhole(TestDatabase db) throws Exception {
        use(db);
        Random random = new Random(db.ordinal());
        int kills = TestDepth.repetitions("DatabaseKillTest", "SIGKILLs per database", 2, 6);
        for (int kill = 0; kill < kills; kill++) {
            int before = rows();
            VelesProcess veles = startSnapshotLoop();
            for (int i = 0; i < 600 && veles.isAlive() && rows() <= before; i++) {
                Thread.sleep(50);
            }
            Thread.sleep(random.nextInt(300));
            assertThat(veles.isAlive())
                    .as("run %d ended early: %s", kill, veles.stderr())
                    .isTrue();
            veles.kill();

            List<SnapshotListing.Entry> entries = SnapshotListing.list("odbc://" + odbc + "&" + table);
            assertThat(entries).hasSizeGreaterThan(before);
            for (SnapshotListing.Entry entry : entries) {
                assertThat(entry.problem()).isNull();
            }
        }
        verifyEveryRow();
        if (db == TestDatabase.SQLITE) {
            assertSqliteWhole(db);
        }
    }

    /** A walk writing uncompressed snapshots of many chunks to the table, one after the other. */
    private VelesProcess startSnapshotLoop() throws Exception {
        return VelesProcess.start(
                dir,
                SMALL_CHUNKS,
                "run",
                "walk",
                "walk.walkers=300000",
                "walk.iterations=100000",
                "--odbc",
                odbc,
                "--table",
                table,
                "--compression",
                "none",
                // Snapshots still follow each other closely, so that a kill often lands in one,
                // but their count per kill no longer grows with the machine's speed: a fast
                // host wrote 160 per kill here, 2.2 GB to verify per database at the end.
                "--snapshot-time-interval",
                "0.01");
    }

    private void verifyEveryRow() throws Exception {
        for (SnapshotRow row : store().list()) {
            try (SnapshotReader reader =
                    Snapshots.open("odbc://" + odbc + "&" + table + "&" + row.id() + "&&" + row.name())) {
                reader.verify();
            }
        }
    }

    private void assertSqliteWhole(TestDatabase db) throws Exception {
        try (Connection connection = db.admin(odbc);
                Statement statement = connection.createStatement();
                ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
            check.next();
            assertThat(check.getString(1)).isEqualTo("ok");
        }
    }

    /**
     * Not left to chance: the run is frozen (SIGSTOP) until the database shows one of its write
     * transactions open, then killed in that state. The snapshot being written must leave nothing:
     * no row, no chunk, and on the servers exactly the rows committed before the freeze.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aKillInsideAWriteTransactionLeavesNothingOfThatSnapshot(TestDatabase db) throws Exception {
        use(db);
        VelesProcess veles = startSnapshotLoop();
        int committed = -1;
        try {
            for (int i = 0; i < 1200 && veles.isAlive() && rows() == 0; i++) {
                Thread.sleep(50);
            }
            assertThat(veles.isAlive())
                    .as("the run ended early: %s", veles.stderr())
                    .isTrue();
            Random random = new Random(db.ordinal());
            boolean caught = false;
            for (int attempt = 0; attempt < 500 && !caught && veles.isAlive(); attempt++) {
                veles.freeze();
                // What the run sent before it stopped (a COMMIT on its way) reaches the server first.
                Thread.sleep(50);
                // A reader of SQLite may wait on the frozen writer's lock: counted on the servers only.
                int before = writeOpen(db) && db != TestDatabase.SQLITE
                        ? store().list().size()
                        : -1;
                if (writeOpen(db)) {
                    caught = true;
                    committed = before;
                    veles.kill();
                } else {
                    veles.thaw();
                    Thread.sleep(random.nextInt(20));
                }
            }
            assertThat(caught)
                    .as("the run was never frozen inside a write transaction: %s", veles.stderr())
                    .isTrue();
        } finally {
            if (veles.isAlive()) {
                veles.kill();
            }
        }
        if (db == TestDatabase.SQLITE) {
            // The killed writer leaves its journal behind.
            assertThat(writeOpen(db)).as("a journal after the kill").isTrue();
        } else {
            // A server rolls a dead client's transaction back once it sees the connection closed.
            for (int i = 0; i < 200 && writeOpen(db); i++) {
                Thread.sleep(50);
            }
            assertThat(writeOpen(db))
                    .as("the killed run's transaction is still open")
                    .isFalse();
        }

        List<SnapshotListing.Entry> entries = SnapshotListing.list("odbc://" + odbc + "&" + table);
        if (db == TestDatabase.SQLITE) {
            // The reader rolled the journal back, or found it not hot (its header not yet
            // written, CI saw it stay): either way the database must be whole.
            assertSqliteWhole(db);
        }
        assertThat(entries).isNotEmpty();
        for (SnapshotListing.Entry entry : entries) {
            assertThat(entry.problem()).isNull();
        }
        if (committed >= 0) {
            assertThat(entries).as("rows after the kill").hasSize(committed);
        }
        try (Connection connection = db.admin(odbc);
                Statement statement = connection.createStatement();
                ResultSet orphans = statement.executeQuery(
                        "SELECT COUNT(*) FROM " + table + "_chunks c WHERE NOT EXISTS" + " (SELECT 1 FROM " + table
                                + " r WHERE r.id = c.id AND r.log_id = c.log_id AND r.name = c.name)")) {
            orphans.next();
            assertThat(orphans.getLong(1)).as("chunks of no snapshot").isZero();
        }
        verifyEveryRow();
    }

    /**
     * Whether a write transaction of another connection is open on the snapshot tables now:
     * PostgreSQL's backends and their last statement, InnoDB's rows visible only to a dirty read
     * (read first, so that a commit in between cannot look like an open write), SQLite's rollback
     * journal, which exists from a write transaction's first change to its end.
     */
    private boolean writeOpen(TestDatabase db) throws Exception {
        if (db == TestDatabase.SQLITE) {
            Path journal = dir.resolve("snapshots.db-journal");
            return java.nio.file.Files.exists(journal) && java.nio.file.Files.size(journal) > 0;
        }
        try (Connection connection = db.admin(odbc);
                Statement statement = connection.createStatement()) {
            if (db == TestDatabase.POSTGRESQL) {
                try (ResultSet open = statement.executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
                        + " WHERE pid <> pg_backend_pid() AND xact_start IS NOT NULL"
                        + " AND query ILIKE 'INSERT INTO " + table + "%'")) {
                    open.next();
                    return open.getLong(1) > 0;
                }
            }
            statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
            long dirty = count(statement, table + "_chunks");
            statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
            return dirty > count(statement, table + "_chunks");
        }
    }

    private static long count(Statement statement, String table) throws Exception {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRunKilledAndResumedFromOdbcEndsAsTheUninterruptedRun(TestDatabase db) throws Exception {
        use(db);
        String[] workload = {"walk.walkers=100000", "walk.iterations=40", "--random-seed", "31", "--compression", "gz"};
        Map<?, ?> expected = RunResults.ofUninterruptedRun(dir, "walk", workload);

        VelesProcess killed = VelesProcess.start(
                dir, SMALL_CHUNKS, concat(new String[] {"run", "walk", "--odbc", odbc, "--table", table}, workload));
        while (killed.isAlive() && rows() < 12) {
            Thread.sleep(20);
        }
        assertThat(killed.isAlive())
                .as("run ended before it could be killed: %s", killed.stderr())
                .isTrue();
        killed.kill();

        String id = store().list().get(0).id();
        Path result = dir.resolve("resumed.json");
        VelesProcess resumed = VelesProcess.run(
                dir,
                SMALL_CHUNKS,
                "run",
                "walk",
                "-w",
                "odbc://" + odbc + "&" + table + "&" + id + "&",
                "--result-file",
                result.toString());
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).contains("restored walk from odbc://");
        Map<?, ?> actual = RunResults.read(result);
        assertThat(actual).isEqualTo(expected);
    }
}
