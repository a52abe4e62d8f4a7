package io.veles.internal.db;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.util.Messages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A database that the {@code odbc} parameter names, mapped onto a JDBC driver (the JVM has no
 * ODBC bridge). Accepted forms:
 * <ul>
 *   <li>VELES's ODBC string: {@code DRIVER={MySQL};SERVER=localhost;DATABASE=test;UID=test;PWD=test}
 *       (optional {@code PORT}); drivers for MySQL, MariaDB, PostgreSQL and SQLite3, by name or
 *       by library file;</li>
 *   <li>{@code DSN=name}, read from odbc.ini (its {@code Driver} looked up in odbcinst.ini);
 *       keys given next to the DSN override the file's;</li>
 *   <li>a {@code jdbc:mariadb:}, {@code jdbc:mysql:}, {@code jdbc:postgresql:} or
 *       {@code jdbc:sqlite:} URL.</li>
 * </ul>
 * The password is never part of {@link #description()}.
 */
public final class DatabaseTarget {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("//[^/@]*:[^/@]*@");
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final Dialect dialect;
    private final String url;
    private final Properties properties;
    private final String description;
    private final Path sqliteFile;

    private DatabaseTarget(Dialect dialect, String url, Properties properties, String description, Path sqliteFile) {
        this.dialect = dialect;
        this.url = url;
        this.properties = properties;
        this.description = description;
        this.sqliteFile = sqliteFile;
    }

    /** The database named by an {@code odbc} parameter value. */
    public static DatabaseTarget of(String odbc) {
        return of(odbc, OdbcIni.fromEnvironment());
    }

    static DatabaseTarget of(String odbc, OdbcIni ini) {
        if (odbc == null || odbc.isBlank()) {
            throw new SnapshotException("no database given: expected an ODBC string such as "
                    + "DRIVER={SQLite3};DATABASE=snapshots.db, DSN=name or a jdbc: URL");
        }
        String text = odbc.strip();
        if (text.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return fromJdbcUrl(text);
        }
        OdbcString parsed = OdbcString.parse(text);
        String dsn = parsed.get("DSN");
        if (dsn != null) {
            parsed = parsed.withDefaults(ini.dataSource(dsn));
        }
        String driver = parsed.get("DRIVER");
        if (driver == null || driver.isEmpty()) {
            throw new SnapshotException("ODBC string " + parsed.redacted() + " names no DRIVER"
                    + (dsn != null ? " (nor does data source " + dsn + ")" : ""));
        }
        Dialect dialect = dialectOfDriver(driver, ini);
        return fromOdbc(dialect, parsed);
    }

    private static Dialect dialectOfDriver(String driver, OdbcIni ini) {
        Optional<Dialect> byName = dialectOfName(driver);
        if (byName.isPresent()) {
            return byName.get();
        }
        // A driver section of odbcinst.ini (any name) points at the driver's library.
        Optional<Map<String, String>> installed = ini.driver(driver);
        if (installed.isPresent()) {
            for (String key : new String[] {"DRIVER", "DRIVER64", "SETUP"}) {
                String library = installed.get().get(key);
                if (library != null
                        && dialectOfName(Path.of(library).getFileName().toString())
                                .isPresent()) {
                    return dialectOfName(Path.of(library).getFileName().toString())
                            .get();
                }
            }
        }
        throw new SnapshotException("ODBC driver '" + driver + "' is not one we can map to JDBC: "
                + "use a MySQL, MariaDB, PostgreSQL or SQLite3 driver, or a jdbc: URL");
    }

    /** The dialect a driver name ("MariaDB Unicode", "PostgreSQL ANSI") or library file (libmaodbc.so) implies. */
    static Optional<Dialect> dialectOfName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("mariadb")
                || lower.contains("mysql")
                || lower.contains("maodbc")
                || lower.contains("myodbc")) {
            return Optional.of(Dialect.MARIADB);
        }
        if (lower.contains("postgres") || lower.contains("psqlodbc")) {
            return Optional.of(Dialect.POSTGRESQL);
        }
        if (lower.contains("sqlite")) {
            return Optional.of(Dialect.SQLITE);
        }
        return Optional.empty();
    }

    private static DatabaseTarget fromOdbc(Dialect dialect, OdbcString odbc) {
        String database = odbc.first("DATABASE", "DB", "DBNAME");
        if (database == null || database.isEmpty()) {
            throw new SnapshotException("ODBC string " + odbc.redacted() + " names no DATABASE");
        }
        Properties properties = new Properties();
        String user = odbc.first("UID", "USER", "USERNAME");
        String password = odbc.first("PWD", "PASSWORD");
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        String description = dialect.displayName() + " " + odbc.redacted();
        if (dialect == Dialect.SQLITE) {
            refuseMemory(database, description);
            Path file = Path.of(database);
            return new DatabaseTarget(dialect, "jdbc:sqlite:" + file, sqliteDefaults(properties), description, file);
        }
        String server = odbc.first("SERVER", "SERVERNAME", "HOST");
        if (server == null || server.isEmpty()) {
            server = "localhost";
        }
        String port = odbc.get("PORT");
        if (port != null && !port.isEmpty()) {
            try {
                int number = Integer.parseInt(port);
                if (number < 1 || number > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new SnapshotException("ODBC string: PORT must be a number from 1 to 65535, got '" + port + "'");
            }
            server = server + ":" + port;
        }
        if (dialect == Dialect.MARIADB) {
            String sslMode = odbc.first("SSLMODE");
            if (sslMode != null) {
                properties.setProperty("sslMode", sslMode.toLowerCase(Locale.ROOT));
            }
            return new DatabaseTarget(
                    dialect,
                    "jdbc:mariadb://" + server + "/" + database,
                    mariaDbDefaults(properties),
                    description,
                    null);
        }
        String sslMode = odbc.first("SSLMODE");
        if (sslMode != null) {
            properties.setProperty("sslmode", sslMode.toLowerCase(Locale.ROOT));
        }
        return new DatabaseTarget(
                dialect,
                "jdbc:postgresql://" + server + "/" + database,
                postgresDefaults(properties),
                description,
                null);
    }

    private static DatabaseTarget fromJdbcUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        String description = redactUrl(url);
        Properties properties = new Properties();
        if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
            if (lower.startsWith("jdbc:mysql:") && !lower.contains("permitmysqlscheme")) {
                // The driver takes the mysql scheme only when the URL itself permits it: as a
                // connection property it is read too late ("No suitable driver").
                url = url + (url.indexOf('?') < 0 ? "?" : "&") + "permitMysqlScheme";
            }
            if (!lower.contains("sslmode=")) {
                properties.setProperty("sslMode", "disable");
            }
            if (!lower.contains("useserverprepstmts=")) {
                properties.setProperty("useServerPrepStmts", "true");
            }
            properties.putIfAbsent("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 1000));
            return new DatabaseTarget(Dialect.MARIADB, url, properties, description, null);
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return new DatabaseTarget(Dialect.POSTGRESQL, url, postgresDefaults(properties), description, null);
        }
        if (lower.startsWith("jdbc:sqlite:")) {
            String path = url.substring("jdbc:sqlite:".length());
            refuseMemory(path, description);
            int query = path.indexOf('?');
            Path file = path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")
                    ? null
                    : Path.of(query < 0 ? path : path.substring(0, query));
            return new DatabaseTarget(Dialect.SQLITE, url, sqliteDefaults(properties), description, file);
        }
        throw new SnapshotException("JDBC URL " + description + " is not for a database we support: "
                + "use jdbc:mariadb:, jdbc:mysql:, jdbc:postgresql: or jdbc:sqlite:");
    }

    /**
     * Refuses a SQLite database in memory (no name, {@code :memory:}, {@code mode=memory}): each
     * store operation opens a connection of its own, and such a database is gone when it closes,
     * so snapshots "written" there could never be restored.
     */
    private static void refuseMemory(String database, String description) {
        String lower = database.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.startsWith(":memory:") || lower.contains("mode=memory")) {
            throw new SnapshotException(description + " is a SQLite database in memory, which keeps nothing"
                    + " once its connection closes: name a file (DATABASE=snapshots.db)");
        }
    }

    private static Properties mariaDbDefaults(Properties properties) {
        // Connector/J tries TLS unless told; servers on a private network often have none.
        properties.putIfAbsent("sslMode", "disable");
        // Server-side prepared statements send blobs in binary, measured ~7x faster here.
        properties.putIfAbsent("useServerPrepStmts", "true");
        properties.putIfAbsent("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 1000));
        return properties;
    }

    private static Properties postgresDefaults(Properties properties) {
        properties.putIfAbsent("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        // the whole login, a server that accepts and never answers included
        properties.putIfAbsent("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.putIfAbsent("ApplicationName", "veles");
        return properties;
    }

    private static Properties sqliteDefaults(Properties properties) {
        // Another process may be writing a snapshot: wait for its transaction rather than fail.
        properties.putIfAbsent("busy_timeout", "30000");
        return properties;
    }

    /**
     * An {@code odbc} parameter value with its secrets replaced by {@code ***}: ODBC {@code PWD} and
     * {@code PASSWORD}, JDBC {@code password=} and {@code user:pass@}. A string too malformed to
     * parse is not echoed at all, since its password cannot be told from the rest.
     */
    public static String redacted(String odbc) {
        if (odbc == null) {
            return null;
        }
        String text = odbc.strip();
        if (text.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return redactUrl(text);
        }
        try {
            return OdbcString.parse(text).redacted();
        } catch (SnapshotException e) {
            return "(a malformed connection string)";
        }
    }

    static String redactUrl(String url) {
        return URL_USER_INFO
                .matcher(URL_PASSWORD.matcher(url).replaceAll("$1***"))
                .replaceAll("//***@");
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The database as messages and logs name it: no password. */
    public String description() {
        return description;
    }

    /**
     * Opens a connection. With {@code create} false, a SQLite file that does not exist is an
     * error rather than a new empty database.
     */
    public Connection connect(boolean create) {
        if (sqliteFile != null) {
            if (!create && !Files.isRegularFile(sqliteFile)) {
                throw new SnapshotException("no SQLite database at " + sqliteFile);
            }
            Path parent = sqliteFile.toAbsolutePath().getParent();
            if (create && parent != null && !Files.isDirectory(parent)) {
                throw new SnapshotException("cannot create SQLite database " + sqliteFile + ": no directory " + parent);
            }
        }
        try {
            // Timeouts go in each connection's properties (see the defaults above), never through
            // DriverManager.setLoginTimeout: that is the whole JVM's, the host application's included.
            Connection connection = DriverManager.getConnection(url, properties);
            if (dialect == Dialect.MARIADB) {
                strictSession(connection);
            }
            return connection;
        } catch (SQLException e) {
            if (!driverOnClassPath()) {
                throw new SnapshotException(
                        "no JDBC driver for " + dialect.displayName() + " on the class path: add " + driverArtifact(),
                        e);
            }
            throw new SnapshotStoreException(
                    "cannot connect to " + description + ": " + Messages.innermostOneLine(e), e);
        }
    }

    /**
     * Makes a MariaDB session strict, keeping the modes it had: without STRICT_TRANS_TABLES (an
     * older install, or an operator's {@code sql_mode}) a snapshot larger than its column (a
     * BLOB of 64 KiB) was cut short with a warning, and the run called it stored.
     */
    private static void strictSession(Connection connection) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(
                    "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_TRANS_TABLES')");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** The drivers are optional dependencies of veles-core: an application adds its database's. */
    private boolean driverOnClassPath() {
        String driverClass = switch (dialect) {
            case MARIADB -> "org.mariadb.jdbc.Driver";
            case POSTGRESQL -> "org.postgresql.Driver";
            case SQLITE -> "org.sqlite.JDBC";
        };
        try {
            Class.forName(driverClass, false, DatabaseTarget.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private String driverArtifact() {
        return switch (dialect) {
            case MARIADB -> "org.mariadb.jdbc:mariadb-java-client";
            case POSTGRESQL -> "org.postgresql:postgresql";
            case SQLITE -> "org.xerial:sqlite-jdbc";
        };
    }

    @Override
    public String toString() {
        return description;
    }
}
