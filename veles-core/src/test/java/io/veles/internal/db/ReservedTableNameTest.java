package io.veles.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.testing.TestDatabase;
import io.veles.testing.TestDepth;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every table name that passes validation works on a real database, keywords included: the
 * candidates are SQL-92's reserved words, the function names MariaDB parses specially, and the
 * keywords each database itself reports (its JDBC driver's list, and PostgreSQL's keyword table).
 * A name that fails is refused in one line. By default a quarter of the accepted names, spread
 * evenly, go to the database; {@code VELES_BIG_TESTS=1} (as on CI) tries them all.
 */
@Tag("slow")
class ReservedTableNameTest {
    /** SQL-92's reserved words: the standard every dialect starts from. */
    private static final String SQL92 = "ABSOLUTE ACTION ADD ALL ALLOCATE ALTER AND ANY ARE AS ASC ASSERTION AT "
            + "AUTHORIZATION AVG BEGIN BETWEEN BIT BIT_LENGTH BOTH BY CASCADE CASCADED CASE CAST CATALOG CHAR "
            + "CHARACTER CHAR_LENGTH CHARACTER_LENGTH CHECK CLOSE COALESCE COLLATE COLLATION COLUMN COMMIT CONNECT "
            + "CONNECTION CONSTRAINT CONSTRAINTS CONTINUE CONVERT CORRESPONDING COUNT CREATE CROSS CURRENT "
            + "CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATE DAY DEALLOCATE DEC DECIMAL "
            + "DECLARE DEFAULT DEFERRABLE DEFERRED DELETE DESC DESCRIBE DESCRIPTOR DIAGNOSTICS DISCONNECT DISTINCT "
            + "DOMAIN DOUBLE DROP ELSE END ESCAPE EXCEPT EXCEPTION EXEC EXECUTE EXISTS EXTERNAL EXTRACT FALSE FETCH "
            + "FIRST FLOAT FOR FOREIGN FOUND FROM FULL GET GLOBAL GO GOTO GRANT GROUP HAVING HOUR IDENTITY IMMEDIATE "
            + "IN INDICATOR INITIALLY INNER INPUT INSENSITIVE INSERT INT INTEGER INTERSECT INTERVAL INTO IS ISOLATION "
            + "JOIN KEY LANGUAGE LAST LEADING LEFT LEVEL LIKE LOCAL LOWER MATCH MAX MIN MINUTE MODULE MONTH NAMES "
            + "NATIONAL NATURAL NCHAR NEXT NO NOT NULL NULLIF NUMERIC OCTET_LENGTH OF ON ONLY OPEN OPTION OR ORDER "
            + "OUTER OUTPUT OVERLAPS PAD PARTIAL POSITION PRECISION PREPARE PRESERVE PRIMARY PRIOR PRIVILEGES "
            + "PROCEDURE PUBLIC READ REAL REFERENCES RELATIVE RESTRICT REVOKE RIGHT ROLLBACK ROWS SCHEMA SCROLL "
            + "SECOND SECTION SELECT SESSION SESSION_USER SET SIZE SMALLINT SOME SPACE SQL SQLCODE SQLERROR SQLSTATE "
            + "SUBSTRING SUM SYSTEM_USER TABLE TEMPORARY THEN TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TO "
            + "TRAILING TRANSACTION TRANSLATE TRANSLATION TRIM TRUE UNION UNIQUE UNKNOWN UPDATE UPPER USAGE USER "
            + "USING VALUE VALUES VARCHAR VARYING VIEW WHEN WHENEVER WHERE WITH WORK WRITE YEAR ZONE";

    /** Function names that MariaDB/MySQL parse as calls when "(" follows (their manual's IGNORE_SPACE list). */
    private static final String MYSQL_FUNCTIONS =
            "ADDDATE BIT_AND BIT_OR BIT_XOR CAST COUNT CURDATE CURTIME DATE_ADD DATE_SUB EXTRACT GROUP_CONCAT MAX MID MIN NOW POSITION SESSION_USER STD STDDEV STDDEV_POP STDDEV_SAMP SUBDATE SUBSTR SUBSTRING SUM SYSDATE SYSTEM_USER TRIM VARIANCE VAR_POP VAR_SAMP VALUE";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyAcceptedNameWorksAndEveryOtherIsRefusedInOneLine(TestDatabase database) throws Exception {
        String odbc = database.odbc(dir);
        Set<String> candidates = new TreeSet<>(List.of(SQL92.split(" ")));
        candidates.addAll(List.of(MYSQL_FUNCTIONS.split(" ")));
        candidates.addAll(keywordsOf(database, odbc));
        List<String> accepted = new ArrayList<>();
        for (String word : candidates) {
            String table = word.toLowerCase(Locale.ROOT);
            try {
                new SnapshotTable(DatabaseTarget.of(odbc), table);
                accepted.add(table);
            } catch (SnapshotException refused) {
                assertThat(refused.getMessage())
                        .doesNotContain("\n")
                        .satisfiesAnyOf(
                                message -> assertThat(message).contains("is an SQL reserved word"),
                                message -> assertThat(message).contains("is not an identifier"));
            }
        }
        assertThat(accepted).as("keywords that are fine as names still pass").isNotEmpty();
        // Each accepted name costs a table created, written, listed and dropped: by default an
        // evenly spread sample of them, on CI all.
        int tried = TestDepth.repetitions(
                "ReservedTableNameTest", "accepted names tried on " + database, accepted.size() / 4, accepted.size());
        List<String> broken = new ArrayList<>();
        for (int i = 0; i < tried; i++) {
            String table = accepted.get((int) ((long) i * accepted.size() / tried));
            SnapshotTable store = new SnapshotTable(DatabaseTarget.of(odbc), table);
            try {
                store.insert(
                        SnapshotRow.of(Instant.now(), "run-1", "run-1", "w", "w_1", "none"),
                        out -> out.write(new byte[10]));
                assertThat(store.list()).hasSize(1);
            } catch (SnapshotException e) {
                broken.add(table + ": " + e.getMessage());
            } finally {
                if (database != TestDatabase.SQLITE) {
                    try {
                        database.drop(odbc, table);
                    } catch (AssertionError e) {
                        broken.add(table + ": " + e.getMessage());
                    }
                }
            }
        }
        assertThat(broken).as("accepted names that the database refuses").isEmpty();
        for (String reserved : List.of("order", "select", "ORDER", "Select")) {
            assertThatThrownBy(() -> new SnapshotTable(DatabaseTarget.of(odbc), reserved))
                    .hasMessage("table name '" + reserved + "' is an SQL reserved word: choose another, e.g. "
                            + reserved.toLowerCase(Locale.ROOT) + "_snapshots");
        }
    }

    /** The keywords the database reports: its driver's list, and PostgreSQL's keyword table. */
    private static Set<String> keywordsOf(TestDatabase database, String odbc) throws SQLException {
        Set<String> words = new TreeSet<>();
        try (Connection connection = database.admin(odbc)) {
            for (String word : connection.getMetaData().getSQLKeywords().split(",")) {
                if (!word.isBlank()) {
                    words.add(word.trim().toUpperCase(Locale.ROOT));
                }
            }
            if (database == TestDatabase.POSTGRESQL) {
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT word FROM pg_get_keywords()")) {
                    while (rows.next()) {
                        words.add(rows.getString(1).toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        return words;
    }
}
