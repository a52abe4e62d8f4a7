package io.veles.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code odbc} parameter's forms, mapped onto JDBC, and the errors for malformed ones. */
class DatabaseTargetTest {
    @TempDir
    Path dir;

    private OdbcIni noFiles() {
        return new OdbcIni(List.of(dir.resolve("none.ini")), List.of(dir.resolve("none-inst.ini")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "DRIVER={MySQL};SERVER=localhost;DATABASE=test;UID=test;PWD=test | MARIADB | jdbc:mariadb://localhost/test",
                "driver={MariaDB Unicode};server=db.example;port=3307;database=snaps;uid=u;pwd=p | MARIADB | jdbc:mariadb://db.example:3307/snaps",
                "Driver={MySQL ODBC 8.0 Unicode Driver};Server=h;Database=d | MARIADB | jdbc:mariadb://h/d",
                "DRIVER={PostgreSQL Unicode};SERVER=pg;PORT=5433;DATABASE=test;UID=postgres | POSTGRESQL | jdbc:postgresql://pg:5433/test",
                "DRIVER={PostgreSQL ANSI};SERVERNAME=pg;DATABASE=test | POSTGRESQL | jdbc:postgresql://pg/test",
                "DRIVER=SQLite3;DATABASE=snapshots.db | SQLITE | jdbc:sqlite:snapshots.db",
                "DRIVER={SQLite3 ODBC Driver};Database=/tmp/a b.db | SQLITE | jdbc:sqlite:/tmp/a b.db",
            })
    void odbcStringsMapOntoJdbcUrls(String odbc, Dialect dialect, String url) {
        DatabaseTarget target = DatabaseTarget.of(odbc, noFiles());
        assertThat(target.dialect()).isEqualTo(dialect);
        assertThat(target).extracting("url").isEqualTo(url);
    }

    @Test
    void passwordsNeverReachTheDescription() {
        DatabaseTarget target = DatabaseTarget.of("DRIVER={MySQL};SERVER=h;DATABASE=d;UID=u;PWD={s3cr;et}", noFiles());
        assertThat(target.description()).contains("UID=u").contains("PWD=***").doesNotContain("s3cr");
        DatabaseTarget url = DatabaseTarget.of("jdbc:postgresql://h/d?user=u&password=s3cret", noFiles());
        assertThat(url.description()).doesNotContain("s3cret").contains("password=***");
        assertThat(DatabaseTarget.redactUrl("jdbc:mariadb://u:s3cret@h/d")).doesNotContain("s3cret");
        assertThatThrownBy(() -> DatabaseTarget.of("DRIVER={Oracle};PWD=s3cret;DATABASE=x", noFiles()))
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void jdbcUrlsAreTakenAsTheyAre() {
        assertThat(DatabaseTarget.of("jdbc:sqlite:x.db", noFiles()).dialect()).isEqualTo(Dialect.SQLITE);
        assertThat(DatabaseTarget.of("jdbc:mysql://h/d", noFiles()).dialect()).isEqualTo(Dialect.MARIADB);
        assertThat(DatabaseTarget.of("jdbc:postgresql://h/d", noFiles()).dialect())
                .isEqualTo(Dialect.POSTGRESQL);
        assertThatThrownBy(() -> DatabaseTarget.of("jdbc:oracle:thin:@h:1521:x", noFiles()))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("not for a database we support");
    }

    /** Every store operation opens its own connection: a database in memory would keep nothing. */
    @Test
    void aSqliteDatabaseInMemoryIsRefused() {
        for (String memory : new String[] {
            "jdbc:sqlite:",
            "jdbc:sqlite::memory:",
            "jdbc:sqlite:file:x.db?mode=memory",
            "DRIVER={SQLite3};DATABASE=:memory:"
        }) {
            assertThatThrownBy(() -> DatabaseTarget.of(memory, noFiles()))
                    .as(memory)
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("is a SQLite database in memory, which keeps nothing");
        }
    }

    @Test
    void aDsnIsReadFromOdbcIniWithItsDriverFromOdbcinstIni() throws Exception {
        Path odbcIni = dir.resolve("odbc.ini");
        Path odbcInst = dir.resolve("odbcinst.ini");
        Files.writeString(
                odbcIni,
                "; data sources\n[snapshots]\nDriver = Team DB 1.0\nServer = db.example\n"
                        + "Port = 3306\nDatabase = team\nUser = trainer\nPassword = hidden\n\n[other]\nDriver=SQLite3\nDatabase=x.db\n");
        Files.writeString(
                odbcInst,
                "[Team DB 1.0]\nDescription = MariaDB Connector/ODBC\n"
                        + "Driver = /usr/lib/x86_64-linux-gnu/odbc/libmaodbc.so\n");
        OdbcIni ini = new OdbcIni(List.of(dir.resolve("missing.ini"), odbcIni), List.of(odbcInst));

        DatabaseTarget target = DatabaseTarget.of("DSN=Snapshots;PWD=override", ini);
        assertThat(target.dialect()).isEqualTo(Dialect.MARIADB);
        assertThat(target).extracting("url").isEqualTo("jdbc:mariadb://db.example:3306/team");
        assertThat(target)
                .extracting("properties")
                .extracting("user", "password")
                .containsExactly("trainer", "override");
        assertThat(DatabaseTarget.of("DSN=other", ini).dialect()).isEqualTo(Dialect.SQLITE);
        assertThatThrownBy(() -> DatabaseTarget.of("DSN=nope", ini))
                .hasMessageStartingWith("ODBC data source 'nope' is not defined in ");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'' | no database given",
                "DRIVER={Oracle in OraClient};DATABASE=x | ODBC driver 'Oracle in OraClient' is not one we can map to JDBC",
                "SERVER=h;DATABASE=d | names no DRIVER",
                "DRIVER={MySQL};SERVER=h | names no DATABASE",
                "DRIVER={MySQL;SERVER=h;DATABASE=d | the value of DRIVER opens '{' but never closes it",
                "DRIVER={MySQL};SERVER=h;DATABASE=d;PORT=http | PORT must be a number",
                "DRIVER={MySQL};oops;DATABASE=d | the entry after DRIVER is not KEY=value",
                "oops;DRIVER={MySQL};DATABASE=d | its first entry is not KEY=value",
                "DRIVER={MySQL};DRIVER={PostgreSQL};DATABASE=d | DRIVER is given twice",
            })
    void malformedStringsGetOneLineNamingThePart(String odbc, String message) {
        assertThatThrownBy(() -> DatabaseTarget.of(odbc, noFiles()))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /** The text after an unbraced ';' may be the rest of a password: no message shows it. */
    @Test
    void aPasswordHoldingASemicolonIsNeverShownInTheError() {
        assertThatThrownBy(() -> DatabaseTarget.of("DRIVER={MySQL};DATABASE=d;UID=u;PWD=abc;zq9secret", noFiles()))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("the entry after PWD is not KEY=value (a value holding ';' goes in braces")
                .satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain("zq9secret").doesNotContain("abc"));
    }

    @Test
    void bracedValuesKeepSemicolonsAndEscapedBraces() {
        OdbcString parsed = OdbcString.parse("DRIVER={SQLite3};DATABASE={/tmp/a;b}}c.db}; UID = me ;");
        assertThat(parsed.get("database")).isEqualTo("/tmp/a;b}c.db");
        assertThat(parsed.get("uid")).isEqualTo("me");
    }

    @Test
    void odbcSourcesFollowVelesForm() {
        OdbcSource full = OdbcSource.parse("odbc://DRIVER={SQLite3};DATABASE=s.db&snaps&run-1&log-1&wine_3_2.50");
        assertThat(full)
                .isEqualTo(new OdbcSource("DRIVER={SQLite3};DATABASE=s.db", "snaps", "run-1", "log-1", "wine_3_2.50"));
        OdbcSource defaults = OdbcSource.parse("odbc://DRIVER={SQLite3};DATABASE=s.db&&run-1&");
        assertThat(defaults.table()).isEqualTo("veles");
        assertThat(defaults.logId()).as("an empty log_id means the id").isEqualTo("run-1");
        assertThat(defaults.name()).isEmpty();
        OdbcSource braced = OdbcSource.parse("odbc://DRIVER={MySQL};DATABASE=d;PWD={a&b}&t&run-1");
        assertThat(braced.odbc()).isEqualTo("DRIVER={MySQL};DATABASE=d;PWD={a&b}");
        assertThat(braced.redacted()).isEqualTo("odbc://DRIVER=MySQL;DATABASE=d;PWD=***&t&run-1&");
        assertThatThrownBy(() -> OdbcSource.parse("odbc://&t&run-1")).hasMessageContaining("names no database");
        assertThatThrownBy(() -> OdbcSource.parse("odbc://D=1&t&a&b&c&d")).hasMessageContaining("at most 5");
    }

    /**
     * An unbraced password holding '&' is split by the odbc:// form, and its pieces land in the
     * table or id: the refusal names none of them, and says to brace the password.
     */
    @Test
    void aPasswordSplitByAnAmpersandIsNotQuotedInTheRefusal() {
        assertThatThrownBy(() -> OdbcSource.parse("odbc://DRIVER={SQLite3};DATABASE=s.db;PWD=p@ss&w0rd!&veles"))
                .isInstanceOf(io.veles.errors.SnapshotException.class)
                .hasMessageContaining("must be braced, PWD={...}")
                .satisfies(
                        e -> assertThat(e.getMessage()).doesNotContain("w0rd").doesNotContain("p@ss"));
        assertThatThrownBy(() -> OdbcSource.parse("odbc://DRIVER={SQLite3};DATABASE=s.db;PWD={p@ss}&bad!table"))
                .as("a braced password: the bad table is quoted as before")
                .hasMessageContaining("table name 'bad!table' is not an identifier");
    }
}
