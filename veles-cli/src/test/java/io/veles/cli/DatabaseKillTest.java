package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Stream;

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
            VelesProcess veles = VelesProcess.start(
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
        for (SnapshotRow row : store().list()) {
            try (SnapshotReader reader =
                    Snapshots.open("odbc://" + odbc + "&" + table + "&" + row.id() + "&&" + row.name())) {
                reader.verify();
            }
        }
        if (db == TestDatabase.SQLITE) {
            try (Connection connection = db.admin(odbc);
                    Statement statement = connection.createStatement();
                    ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
                check.next();
                assertThat(check.getString(1)).isEqualTo("ok");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRunKilledAndResumedFromOdbcEndsAsTheUninterruptedRun(TestDatabase db) throws Exception {
        use(db);
        String[] workload = {"walk.walkers=100000", "walk.iterations=40", "--random-seed", "31", "--compression", "gz"};
        ObjectMapper json = new ObjectMapper();
        VelesProcess whole = VelesProcess.run(
                dir,
                concat(
                        new String[] {"run", "walk", "--snapshot-dir", "whole", "--result-file", "whole.json"},
                        workload));
        assertThat(whole.exitCode()).as(whole.stderr()).isZero();
        Map<?, ?> expected = (Map<?, ?>)
                json.readValue(dir.resolve("whole.json").toFile(), Map.class).get("results");

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
        Map<?, ?> actual =
                (Map<?, ?>) json.readValue(result.toFile(), Map.class).get("results");
        assertThat(actual).isEqualTo(expected);
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
