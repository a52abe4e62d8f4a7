package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code snapshot} tools (ls, inspect, diff, convert, verify, prune) as real processes on rows
 * that {@code run wine --odbc} wrote into the MariaDB and PostgreSQL servers, and into SQLite as
 * the reference. One training per database, shared by the tests: they read or copy epochs 3 and 4
 * only, which prune keeps, so they pass in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class DatabaseServerToolsTest {
    private static final int EPOCHS = 4;

    @TempDir
    static Path dir; // static: an instance field's directory would be emptied after each test, SQLite's file with it

    private final Map<TestDatabase, TrainedTable> trained = new EnumMap<>(TestDatabase.class);
    private final Map<TestDatabase, List<String>> tablesToDrop = new EnumMap<>(TestDatabase.class);

    /**
     * A table holding one wine run, and its rows as {@code ls --json --verify} listed them right
     * after training (before any test prunes).
     */
    private record TrainedTable(String odbc, String table, JsonNode listed) {
        String store() {
            return "odbc://" + odbc + "&" + table;
        }

        /** The full form naming one row; built here, as ls prints sources with the password hidden. */
        String row(int epoch) {
            JsonNode row = listed.get(epoch - 1);
            return store() + "&" + row.get("id").asText() + "&"
                    + row.get("log_id").asText() + "&" + row.get("name").asText();
        }

        String name(int epoch) {
            return listed.get(epoch - 1).get("name").asText();
        }
    }

    private String freshTable(TestDatabase db, String odbc) {
        String table = TestDatabase.freshTable();
        tablesToDrop.computeIfAbsent(db, d -> new ArrayList<>()).add(table);
        return table;
    }

    /** Trains wine into a fresh table of {@code db} the first time a test asks for it. */
    private TrainedTable trained(TestDatabase db) throws Exception {
        if (!trained.containsKey(db)) {
            String odbc = db.odbc(dir); // skips, or fails under VELES_REQUIRE_DB=1, when the server is down
            String table = freshTable(db, odbc);
            VelesProcess run = VelesProcess.run(
                    dir, "run", "wine", "decision.max_epochs=" + EPOCHS, "--odbc", odbc, "--table", table);
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            trained.put(db, new TrainedTable(odbc, table, list("odbc://" + odbc + "&" + table, true)));
        }
        return trained.get(db);
    }

    @AfterAll
    void dropTables() {
        tablesToDrop.forEach((db, tables) -> {
            if (db != TestDatabase.SQLITE) { // SQLite's file goes with the temporary directory
                String odbc = db.odbc(dir);
                tables.forEach(table -> db.drop(odbc, table)); // with its _chunks and _pins tables
            }
        });
    }

    /** {@code ls --json}, with {@code --verify} if asked: every row must then verify (exit 0). */
    private JsonNode list(String store, boolean verify) throws Exception {
        VelesProcess ls = verify
                ? VelesProcess.run(dir, "snapshot", "ls", "--json", "--verify", store)
                : VelesProcess.run(dir, "snapshot", "ls", "--json", store);
        assertThat(ls.exitCode()).as(ls.stdout() + ls.stderr()).isZero();
        return new ObjectMapper().readTree(ls.stdout());
    }

    private void assertVerifies(String source, String name) throws Exception {
        VelesProcess verify = VelesProcess.run(dir, "snapshot", "verify", source);
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(verify.stdout()).contains(name + ", ").contains(": OK");
    }

    private static List<String> names(JsonNode listed) {
        List<String> names = new ArrayList<>();
        listed.forEach(row -> names.add(row.get("name").asText()));
        return names;
    }

    /** The snapshot names on prune's lines that start with {@code verb}. */
    private static List<String> marked(String output, String verb) {
        return output.lines()
                .filter(line -> line.startsWith(verb + " "))
                .map(line -> line.substring(verb.length()).strip().split("\\s+")[0])
                .toList();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void lsListsOneVerifiedRowPerEpochOldestFirst(TestDatabase db) throws Exception {
        JsonNode listed = trained(db).listed();
        assertThat(listed).hasSize(EPOCHS);
        Instant previous = Instant.MIN;
        for (int i = 0; i < EPOCHS; i++) {
            JsonNode row = listed.get(i);
            assertThat(row.get("name").asText()).startsWith("wine_" + (i + 1) + "_");
            assertThat(row.get("workflow").asText()).isEqualTo("wine");
            assertThat(row.get("info").get("epoch").asInt()).isEqualTo(i + 1);
            Instant created = Instant.parse(row.get("created").asText());
            assertThat(created).isAfterOrEqualTo(previous);
            previous = created;
        }
        // Each run's newest row is what a resume takes, so ls marks it current.
        assertThat(listed.get(EPOCHS - 1).get("current").asBoolean()).isTrue();
        assertThat(listed.get(0).get("current").asBoolean()).isFalse();
        // ls prints sources with PWD=***, but verifies through the whole ODBC string (MariaDB's has a PWD).
        listed.forEach(row -> assertThat(row.get("ok").asBoolean())
                .as(
                        "ls --verify of %s: %s",
                        row.get("name").asText(), row.path("problem").asText())
                .isTrue());
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void inspectNamesTheRow(TestDatabase db) throws Exception {
        TrainedTable run = trained(db);
        VelesProcess inspect = VelesProcess.run(dir, "snapshot", "inspect", run.row(3));
        assertThat(inspect.exitCode()).as(inspect.stderr()).isZero();
        assertThat(inspect.stdout())
                .contains("snapshot     " + run.name(3))
                .contains("workflow     wine")
                .contains("id " + run.listed().get(2).get("id").asText())
                .contains("units, largest first:");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void diffOfTwoEpochsListsTheWeightsThatDiffer(TestDatabase db) throws Exception {
        TrainedTable run = trained(db);
        VelesProcess diff = VelesProcess.run(dir, "snapshot", "diff", run.row(3), run.row(4));
        assertThat(diff.exitCode()).as(diff.stdout() + diff.stderr()).isEqualTo(DiffCommand.DIFFERENT);
        // A numeric field: unit, field, then average relative, average and maximum difference.
        assertThat(diff.stdout())
                .containsPattern("(?m)^\\S+ +\\S*weights\\S* +[0-9.e+-]+ +[0-9.e+-]+ +[0-9.e+-]+ ")
                .containsPattern("(?m)^\\d+ differences?$");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRowConvertedToAFileAndBackIntoAnotherTableIsEqualAndVerifies(TestDatabase db) throws Exception {
        TrainedTable run = trained(db);
        String file = db.name().toLowerCase(Locale.ROOT) + "-epoch4.xz";
        VelesProcess toFile = VelesProcess.run(dir, "snapshot", "convert", run.row(4), file, "--compression", "xz");
        assertThat(toFile.exitCode()).as(toFile.stderr()).isZero();
        assertThat(toFile.stdout().strip()).isEqualTo(file);

        String copyTable = freshTable(db, run.odbc());
        VelesProcess toTable =
                VelesProcess.run(dir, "snapshot", "convert", file, "odbc://" + run.odbc() + "&" + copyTable);
        assertThat(toTable.exitCode()).as(toTable.stderr()).isZero();
        assertThat(toTable.stdout())
                .startsWith("odbc://")
                .contains("&" + copyTable + "&")
                .contains(run.name(4));

        // The copy keeps the row's id, log_id and name, so the same full form names it in the other table.
        String copy = run.row(4).replace("&" + run.table() + "&", "&" + copyTable + "&");
        JsonNode copies = list("odbc://" + run.odbc() + "&" + copyTable, false);
        assertThat(names(copies)).containsExactly(run.name(4));
        assertThat(copies.get(0).get("codec").asText()).isEqualTo("xz");

        for (String converted : List.of(file, copy)) {
            VelesProcess diff = VelesProcess.run(dir, "snapshot", "diff", run.row(4), converted);
            assertThat(diff.exitCode())
                    .as("diff with %s: %s%s", converted, diff.stdout(), diff.stderr())
                    .isEqualTo(DiffCommand.EQUAL);
            assertThat(diff.stdout()).startsWith("equal:");
        }
        assertVerifies(copy, run.name(4) + ", xz");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void pruneKeepsTheNewestTwoAndItsDryRunDeletesNothing(TestDatabase db) throws Exception {
        TrainedTable run = trained(db);
        List<String> oldestTwo = List.of(run.name(1), run.name(2));
        List<String> newestTwo = List.of(run.name(3), run.name(4));

        VelesProcess dry = VelesProcess.run(dir, "snapshot", "prune", run.store(), "--keep-last", "2", "--dry-run");
        assertThat(dry.exitCode()).as(dry.stderr()).isZero();
        assertThat(marked(dry.stdout(), "would delete")).as(dry.stdout()).containsExactlyElementsOf(oldestTwo);
        assertThat(dry.stdout()).contains("dry run: 2 of 4 snapshots would be deleted");
        assertThat(names(list(run.store(), false)))
                .as("a dry run deletes nothing")
                .containsExactlyElementsOf(names(run.listed()));

        VelesProcess prune = VelesProcess.run(dir, "snapshot", "prune", run.store(), "--keep-last", "2");
        assertThat(prune.exitCode()).as(prune.stderr()).isZero();
        assertThat(marked(prune.stdout(), "delete")).as(prune.stdout()).containsExactlyElementsOf(oldestTwo);
        assertThat(prune.stdout()).contains("deleted 2 of 4 snapshots");

        assertThat(names(list(run.store(), false))).containsExactlyElementsOf(newestTwo);
        assertThat(list(run.store(), true))
                .allSatisfy(row -> assertThat(row.get("ok").asBoolean()).isTrue());
        assertVerifies(run.row(3), run.name(3));
        assertVerifies(run.row(4), run.name(4));
    }
}
