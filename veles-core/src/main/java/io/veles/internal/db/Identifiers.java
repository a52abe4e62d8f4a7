package io.veles.internal.db;

import io.veles.errors.SnapshotException;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shapes we accept for what goes into SQL by name (a table) or identifies a snapshot (its id,
 * log_id and name). Values are always bound as parameters; these checks refuse anything else early
 * and clearly, injection attempts included, and keep odbc:// sources unambiguous.
 */
public final class Identifiers {
    /** Room is left for the {@code _chunks} suffix within every dialect's 63-character limit. */
    static final int MAX_TABLE_LENGTH = 56;

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_TABLE_LENGTH - 1) + "}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,36}");
    /**
     * Words that MariaDB/MySQL, PostgreSQL or SQLite reserve, and the function names MariaDB/MySQL
     * parse as calls when a parenthesis follows, so that a table of that name breaks the unquoted
     * SQL (and whoever else types it). Refused rather than quoted: quoting would make
     * names case-sensitive on PostgreSQL and so miss tables made before.
     */
    private static final Set<String> RESERVED =
            Set.of(("ACCESSIBLE ADD ADDDATE ALL ALTER ANALYSE ANALYZE AND ANY ARRAY AS ASC ASENSITIVE ASYMMETRIC "
                            + "AUTHORIZATION AUTOINCREMENT BEFORE BETWEEN BIGINT BINARY BIT_AND BIT_OR BIT_XOR BLOB BOTH BY CALL "
                            + "CASCADE CASE CAST CHANGE CHAR CHARACTER CHECK COLLATE COLLATION COLUMN COMMIT CONCURRENTLY "
                            + "CONDITION CONSTRAINT CONTINUE CONVERT COUNT CREATE CROSS CUBE CUME_DIST CURDATE CURRENT_CATALOG "
                            + "CURRENT_DATE CURRENT_ROLE CURRENT_SCHEMA CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR CURTIME "
                            + "DATABASE DATABASES DATE_ADD DATE_SUB DAY_HOUR DAY_MICROSECOND DAY_MINUTE DAY_SECOND DEC DECIMAL "
                            + "DECLARE DEFAULT DEFERRABLE DELAYED DELETE DELETE_DOMAIN_ID DENSE_RANK DESC DESCRIBE DETERMINISTIC "
                            + "DISTINCT DISTINCTROW DIV DO DOUBLE DO_DOMAIN_IDS DROP DUAL EACH ELSE ELSEIF EMPTY ENCLOSED END "
                            + "ESCAPE ESCAPED EXCEPT EXISTS EXIT EXPLAIN EXTRACT FALSE FETCH FIRST_VALUE FLOAT FLOAT4 FLOAT8 FOR "
                            + "FORCE FOREIGN FREEZE FROM FULL FULLTEXT FUNCTION GENERAL GENERATED GET GRANT GROUP GROUPING GROUPS "
                            + "GROUP_CONCAT HAVING HIGH_PRIORITY HOUR_MICROSECOND HOUR_MINUTE HOUR_SECOND IF IGNORE "
                            + "IGNORE_DOMAIN_IDS IGNORE_SERVER_IDS ILIKE IN INDEX INFILE INITIALLY INNER INOUT INSENSITIVE INSERT "
                            + "INT INT1 INT2 INT3 INT4 INT8 INTEGER INTERSECT INTERVAL INTO IO_AFTER_GTIDS IO_BEFORE_GTIDS IS "
                            + "ISNULL ITERATE JOIN JSON_TABLE KEY KEYS KILL LAG LAST_VALUE LATERAL LEAD LEADING LEAVE LEFT LIKE "
                            + "LIMIT LINEAR LINES LOAD LOCALTIME LOCALTIMESTAMP LOCK LONG LONGBLOB LONGTEXT LOOP LOW_PRIORITY "
                            + "MANUAL MASTER_BIND MASTER_HEARTBEAT_PERIOD MASTER_SSL_VERIFY_SERVER_CERT MATCH MAX MAXVALUE "
                            + "MEDIUMBLOB MEDIUMINT MEDIUMTEXT MID MIDDLEINT MIN MINUTE_MICROSECOND MINUTE_SECOND MOD MODIFIES "
                            + "NATURAL NOT NOTHING NOTNULL NOW NO_WRITE_TO_BINLOG NTH_VALUE NTILE NULL NUMERIC OF OFFSET ON ONLY "
                            + "OPTIMIZE OPTIMIZER_COSTS OPTION OPTIONALLY OR ORDER OUT OUTER OUTFILE OVER OVERLAPS PAGE_CHECKSUM "
                            + "PARSE_VCOL_EXPR PARTITION PERCENT_RANK PLACING POSITION PRECISION PRIMARY PROCEDURE PURGE RANGE "
                            + "RANK READ READS READ_WRITE REAL RECURSIVE REFERENCES REF_SYSTEM_ID REGEXP RELEASE RENAME REPEAT "
                            + "REPLACE REQUIRE RESIGNAL RESTRICT RETURN RETURNING REVOKE RIGHT RLIKE ROW ROWS ROW_NUMBER SCHEMA "
                            + "SCHEMAS SECOND_MICROSECOND SELECT SENSITIVE SEPARATOR SESSION_USER SET SHOW SIGNAL SIMILAR SLOW "
                            + "SMALLINT SOME SPATIAL SPECIFIC SQL SQLEXCEPTION SQLSTATE SQLWARNING SQL_BIG_RESULT "
                            + "SQL_CALC_FOUND_ROWS SQL_SMALL_RESULT SSL STARTING STATS_AUTO_RECALC STATS_PERSISTENT "
                            + "STATS_SAMPLE_PAGES STD STDDEV STDDEV_POP STDDEV_SAMP STORED STRAIGHT_JOIN SUBDATE SUBSTR SUBSTRING "
                            + "SUM SYMMETRIC SYSDATE SYSTEM SYSTEM_USER TABLE TABLESAMPLE TERMINATED THEN TINYBLOB TINYINT "
                            + "TINYTEXT TO TRAILING TRANSACTION TRIGGER TRIM TRUE UNDO UNION UNIQUE UNLOCK UNSIGNED UPDATE USAGE "
                            + "USE USER USING UTC_DATE UTC_TIME UTC_TIMESTAMP VALUE VALUES VARBINARY VARCHAR VARCHARACTER VARIADIC "
                            + "VARIANCE VARYING VAR_POP VAR_SAMP VERBOSE VIRTUAL WHEN WHERE WHILE WINDOW WITH WRITE XOR YEAR_MONTH "
                            + "ZEROFILL")
                    .split(" "));

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_.,:+=@ ()\\[\\]-]{1,100}");

    private Identifiers() {}

    public static String table(String table) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new SnapshotException("table name '" + table + "' is not an identifier: use letters, digits and _, "
                    + "starting with a letter or _, at most " + MAX_TABLE_LENGTH + " characters");
        }
        if (RESERVED.contains(table.toUpperCase(Locale.ROOT))) {
            throw new SnapshotException("table name '" + table + "' is an SQL reserved word: choose another, e.g. "
                    + table.toLowerCase(Locale.ROOT) + "_snapshots");
        }
        return table;
    }

    /** An id or log_id: a launcher's UUID, or up to 36 letters, digits and dashes. */
    public static String id(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new SnapshotException(
                    what + " '" + id + "' is not a run id: expected a UUID (up to 36 letters, digits and -)");
        }
        return id;
    }

    /** A snapshot's name ({@code <prefix>_<suffix>}): up to 100 letters, digits, spaces and {@code _.,:+=@()[]-}. */
    public static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SnapshotException("snapshot name '" + name + "' is not allowed: use up to 100 letters, digits, "
                    + "spaces and _.,:+=@()[]-");
        }
        return name;
    }
}
