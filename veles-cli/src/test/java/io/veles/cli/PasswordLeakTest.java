package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.snapshot.codec.Codec;
import io.veles.testing.TestDatabase;
import io.veles.testing.TestDepth;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A planted password, in every syntax a connection string takes, never appears in anything veles
 * prints, in a result file, or in the bytes of a stored snapshot.
 */
@Tag("slow")
class PasswordLeakTest {
    private static final String PASSWORD = "Pl4nted-Pw";

    @TempDir
    Path dir;

    private final StringBuilder printed = new StringBuilder();

    /**
     * The key spellings. A key is found without regard to case, so "pwd" also stands for "PWD":
     * the quick run tries the first, and {@code VELES_BIG_TESTS=1} (as on CI) all three.
     */
    static List<String> passwordKeys() {
        List<String> all = List.of("pwd", "PASSWORD", "PWD");
        return all.subList(0, TestDepth.repetitions("PasswordLeakTest", "password key spellings", 1, all.size()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passwordKeys")
    void anOdbcPasswordIsNeverPrintedCapturedOrWritten(String key) throws Exception {
        String odbc = "DRIVER={SQLite3};DATABASE=snaps.db;UID=me;" + key + "={" + PASSWORD + "}";
        everyTool(odbc, "veles");
        assertNoPassword(storedPayloads(TestDatabase.SQLITE.odbc(dir).replace("snapshots.db", "snaps.db"), "veles"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=" + PASSWORD,
                "DRIVER={PostgreSQL Unicode};SERVER=127.0.0.1;PORT=5432;DATABASE=test;UID=postgres;PWD=" + PASSWORD
            })
    void aServerPasswordIsNeverPrintedCapturedOrWritten(String odbc) throws Exception {
        String admin = TestDatabase.POSTGRESQL.odbc(dir); // trust authentication: any password connects
        String table = TestDatabase.freshTable();
        try {
            everyTool(odbc, table);
            assertNoPassword(storedPayloads(admin, table));
        } finally {
            TestDatabase.POSTGRESQL.drop(admin, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "DRIVER={SQLite3};DATABASE=x.db;PWD=" + PASSWORD + ";tail",
                "DRIVER={SQLite3};DATABASE=x.db;PWD={" + PASSWORD + "",
                "jdbc:mariadb://root:" + PASSWORD + "@127.0.0.1:3306/test",
                "jdbc:postgresql://postgres:" + PASSWORD + "@127.0.0.1:5432/test",
                "jdbc:postgresql://127.0.0.1:1/test?password=" + PASSWORD + "&x={a"
            })
    void aMalformedOrUnreachableConnectionStringIsRefusedWithoutEchoingItsPassword(String odbc) throws Exception {
        VelesProcess run = veles("run", "walk", "walk.walkers=100", "walk.iterations=2", "--odbc", odbc);
        VelesProcess list = veles("snapshot", "ls", "odbc://" + odbc);
        VelesProcess restore =
                veles("run", "walk", "-w", "odbc://" + odbc + "&veles&0b7c5a4e-0000-4000-8000-000000000000");
        assertThat(list.exitCode()).isNotZero();
        assertThat(restore.exitCode()).isNotZero();
        assertThat(run.stderr() + list.stderr() + restore.stderr()).contains("veles: error:");
        assertNoPassword(List.of());
    }

    /**
     * {@code --debug} prints stack traces, whose drivers' messages quote a URL's password in forms
     * no pattern knows ("Incorrect port value : secret@127.0.0.1"), and the drivers' own debug
     * lines ("Connecting with URL: ...&password=secret"): neither shows it.
     */
    @Test
    void debugOutputHidesThePasswordToo() throws Exception {
        String admin = TestDatabase.POSTGRESQL.odbc(dir); // trust authentication: any password connects
        TestDatabase.MARIADB.odbc(dir);
        String table = TestDatabase.freshTable();
        try {
            VelesProcess refused = veles(
                    "--debug",
                    "run",
                    "walk",
                    "walk.walkers=100",
                    "walk.iterations=2",
                    "--odbc",
                    "jdbc:mariadb://root:" + PASSWORD + "@127.0.0.1:3306/test");
            assertThat(refused.stderr())
                    .contains("Incorrect port value : ***@127.0.0.1")
                    .contains("\tat ");
            VelesProcess run = veles(
                    "--debug",
                    "run",
                    "walk",
                    "walk.walkers=100",
                    "walk.iterations=2",
                    "--odbc",
                    "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=" + PASSWORD,
                    "--table",
                    table);
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr()).contains("[DEBUG]");
            assertNoPassword(List.of());
        } finally {
            TestDatabase.POSTGRESQL.drop(admin, table);
        }
    }

    @Test
    void aJdbcSourceWhosePasswordFollowsAnAmpersandIsNotReadAsATableName() throws Exception {
        VelesProcess list =
                veles("snapshot", "ls", "odbc://jdbc:sqlite:" + dir.resolve("none.db") + "?password=" + PASSWORD);
        assertThat(list.exitCode()).isNotZero();
        assertNoPassword(List.of());
    }

    /** Runs, lists, inspects, diffs, converts and resumes from {@code table}, keeping all output. */
    private void everyTool(String odbc, String table) throws Exception {
        VelesProcess run = veles(
                "run",
                "walk",
                "walk.walkers=100",
                "walk.iterations=3",
                "--odbc",
                odbc,
                "--table",
                table,
                "--result-file",
                "first.json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String id = (String) new ObjectMapper()
                .readValue(dir.resolve("first.json").toFile(), Map.class)
                .get("id");
        // A jdbc: URL with & parameters is braced in an odbc:// source, as veles prints it.
        String database = odbc.startsWith("jdbc:") && odbc.contains("&") ? "{" + odbc + "}" : odbc;
        String source = "odbc://" + database + "&" + table + "&" + id;
        veles("snapshot", "ls", "odbc://" + database + "&" + table, "--json");
        veles("snapshot", "inspect", source);
        veles("snapshot", "verify", source);
        veles("snapshot", "diff", source + "&&walk_00001", source + "&&walk_00003");
        VelesProcess convert = veles("snapshot", "convert", source, "copy.gz");
        assertThat(convert.exitCode()).as(convert.stderr()).isZero();
        VelesProcess resumed = veles(
                "run",
                "walk",
                "-w",
                source + "&&walk_00002",
                "--odbc",
                odbc,
                "--table",
                table,
                "--result-file",
                "resumed.json");
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        printed.append(Files.readString(dir.resolve("first.json")))
                .append(Files.readString(dir.resolve("resumed.json")));
        assertNoPassword(List.of(decompressed(Files.readAllBytes(dir.resolve("copy.gz")))));
    }

    private VelesProcess veles(String... args) throws Exception {
        VelesProcess process = VelesProcess.run(dir, args);
        printed.append(process.stdout()).append(process.stderr());
        return process;
    }

    private void assertNoPassword(List<byte[]> stored) {
        assertThat(printed.toString()).doesNotContain(PASSWORD).doesNotContain("Pl4nted");
        for (byte[] bytes : stored) {
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
        }
    }

    /** The uncompressed bytes of every snapshot stored in {@code table}. */
    private static List<byte[]> storedPayloads(String odbc, String table) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        try (Connection connection =
                        io.veles.internal.db.DatabaseTarget.of(odbc).connect(false);
                ResultSet rows = connection.createStatement().executeQuery("SELECT data FROM " + table)) {
            while (rows.next()) {
                payloads.add(decompressed(rows.getBytes(1)));
            }
        }
        assertThat(payloads).isNotEmpty();
        return payloads;
    }

    private static byte[] decompressed(byte[] stored) throws Exception {
        try (InputStream in = Codec.GZIP.decompress(new java.io.ByteArrayInputStream(stored))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
