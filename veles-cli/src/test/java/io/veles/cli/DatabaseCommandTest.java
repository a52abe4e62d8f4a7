package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line with the embedded SQLite store: StandardWorkflow's snapshots go to the named
 * table, {@code snapshot ls|inspect|verify} read it, and bad database input gets one line and
 * exit 1 with nothing written.
 */
@Tag("slow")
class DatabaseCommandTest {
    @TempDir
    static Path dir;

    static String odbc;
    static JsonNode listed;

    @BeforeAll
    static void trainWineIntoSqlite() throws Exception {
        odbc = "DRIVER={SQLite3};DATABASE=" + dir.resolve("team.db");
        VelesProcess veles = VelesProcess.run(
                dir,
                "run",
                "wine",
                "decision.max_epochs=4",
                "--odbc",
                odbc,
                "--table",
                "wine_runs",
                "--compression",
                "zst");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        assertThat(veles.stderr())
                .contains("last snapshot: odbc://DRIVER=SQLite3;DATABASE=")
                .doesNotContain("snapshots/");
        VelesProcess ls =
                VelesProcess.run(dir, "snapshot", "ls", "--json", "--verify", "odbc://" + odbc + "&wine_runs");
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        listed = new ObjectMapper().readTree(ls.stdout());
    }

    @Test
    void standardWorkflowWritesOneRowPerEpochIntoTheNamedTable() {
        assertThat(listed).hasSize(4);
        for (int i = 0; i < 4; i++) {
            JsonNode row = listed.get(i);
            assertThat(row.get("name").asText()).startsWith("wine_" + (i + 1) + "_");
            assertThat(row.get("workflow").asText()).isEqualTo("wine");
            assertThat(row.get("codec").asText()).isEqualTo("zst");
            assertThat(row.get("ok").asBoolean()).isTrue();
            assertThat(row.get("info").get("epoch").asInt()).isEqualTo(i + 1);
        }
        assertThat(Path.of(dir.toString(), "snapshots")).doesNotExist();
    }

    @Test
    void inspectAndVerifyReadARowByVelesForm() throws Exception {
        String id = listed.get(0).get("id").asText();
        String name = listed.get(1).get("name").asText();
        String source = "odbc://" + odbc + "&wine_runs&" + id + "&" + id + "&" + name;
        VelesProcess inspect = VelesProcess.run(dir, "snapshot", "inspect", source);
        assertThat(inspect.exitCode()).as(inspect.stderr()).isZero();
        assertThat(inspect.stdout()).contains("snapshot     " + name).contains("id " + id);
        VelesProcess verify = VelesProcess.run(dir, "snapshot", "verify", "odbc://" + odbc + "&wine_runs&" + id);
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(verify.stdout())
                .contains(listed.get(3).get("name").asText() + ", zst")
                .contains(": OK");
    }

    @Test
    void convertMovesARowToAFileOfAnotherCodecThatVerifies() throws Exception {
        String id = listed.get(0).get("id").asText();
        VelesProcess convert = VelesProcess.run(
                dir,
                "snapshot",
                "convert",
                "odbc://" + odbc + "&wine_runs&" + id,
                "exported.xz",
                "--compression",
                "xz");
        assertThat(convert.exitCode()).as(convert.stderr()).isZero();
        assertThat(convert.stdout().strip()).isEqualTo("exported.xz");
        VelesProcess verify = VelesProcess.run(dir, "snapshot", "verify", "exported.xz");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(verify.stdout()).contains(listed.get(3).get("name").asText() + ", xz");
    }

    @Test
    void badDatabaseInputGetsOneLineAndWritesNothing() throws Exception {
        String[][] cases = {
            {"--odbc", "DRIVER={Oracle};DATABASE=x", "ODBC driver 'Oracle' is not one we can map to JDBC"},
            {
                "--odbc",
                "DRIVER={MariaDB};SERVER=127.0.0.1;PORT=1;DATABASE=test;UID=root;PWD=hunter2",
                "cannot connect to MariaDB"
            },
            {"--odbc", "DRIVER={SQLite3};DATABASE=" + dir.resolve("no/such/dir/x.db"), "no directory"},
            {
                "--odbc",
                "DRIVER={SQLite3};DATABASE=" + dir.resolve("x.db"),
                "table name 'x;drop' is not an identifier",
                "--table",
                "x;drop"
            },
            {
                "-w",
                "odbc://" + odbc + "&missing_table&" + listed.get(0).get("id").asText(),
                "no table missing_table in SQLite"
            },
            {"-w", "odbc://DRIVER={SQLite3};DATABASE=" + dir.resolve("absent.db") + "&&run-1", "no SQLite database at"},
            {"-w", "odbc://" + odbc + "&wine_runs&00000000-0000-0000-0000-000000000000", "no snapshot matches odbc://"},
        };
        for (String[] c : cases) {
            Path out = Files.createTempDirectory(dir, "out");
            List<String> args = new java.util.ArrayList<>(List.of(
                    "run",
                    "wine",
                    c[0],
                    c[1],
                    "--result-file",
                    out.resolve("result.json").toString()));
            if (!c[0].equals("--odbc")) { // a directory beside a database is refused on its own
                args.addAll(List.of("--snapshot-dir", out.resolve("snaps").toString()));
            }
            if (c.length > 3) {
                args.addAll(List.of(c[3], c[4]));
            }
            VelesProcess veles = VelesProcess.run(dir, args.toArray(String[]::new));
            assertThat(veles.exitCode()).as(veles.stderr()).isEqualTo(1);
            List<String> errors = veles.stderr()
                    .lines()
                    .filter(line -> line.startsWith("veles: error:"))
                    .toList();
            assertThat(errors).as(veles.stderr()).hasSize(1);
            assertThat(errors.get(0)).contains(c[2]);
            assertThat(veles.stderr()).doesNotContain("hunter2").doesNotContain("\tat ");
            try (var files = Files.list(out)) {
                assertThat(files.filter(f -> !f.getFileName().toString().startsWith(".std"))
                                .toList())
                        .as("nothing written for %s", c[2])
                        .isEmpty();
            }
        }
        assertThat(dir.resolve("absent.db"))
                .as("a restore never creates a database")
                .doesNotExist();
    }
}
