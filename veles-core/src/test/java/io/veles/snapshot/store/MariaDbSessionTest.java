package io.veles.snapshot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotStoreException;
import io.veles.internal.db.OdbcSource;
import io.veles.snapshot.codec.Codec;
import io.veles.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;

/** How a MariaDB session is opened: whatever the server's or the URL's SQL mode, and whichever URL scheme. */
@Tag("slow")
class MariaDbSessionTest {
    @TempDir
    Path dir;

    /**
     * A session without strict mode (an older install, or an operator's sql_mode, here the URL's)
     * cut a snapshot larger than its column (a BLOB of 64 KiB) short with a warning, and the run
     * called it stored: the session is made strict, and the write fails with nothing kept.
     */
    @Test
    void aSnapshotLargerThanItsColumnIsRefusedNotCutShort() throws Exception {
        String odbc = TestDatabase.MARIADB.odbc(dir);
        String table = TestDatabase.freshTable();
        try (Connection connection = TestDatabase.MARIADB.admin(odbc);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (timestamp datetime(6), id char(36), log_id char(36),"
                    + " workflow varchar(100), name varchar(100), codec varchar(10), data blob) ENGINE=InnoDB");
        }
        String lenient =
                "jdbc:mariadb://127.0.0.1:3306/test?user=root&sessionVariables=sql_mode='NO_ENGINE_SUBSTITUTION'";
        try (TableStore store = new TableStore(new OdbcSource(lenient, table, "", "", ""))) {
            assertThatThrownBy(() -> store.write(snapshot("run_1"), out -> out.write(new byte[100_000])))
                    .isInstanceOf(SnapshotStoreException.class)
                    .hasMessageContaining("Data too long for column 'data'");
            assertThat(store.list()).isEmpty();
        } finally {
            TestDatabase.MARIADB.drop(odbc, table);
        }
    }

    /**
     * A server whose max_allowed_packet is smaller than a chunk (4 MiB) dropped the connection
     * mid-write ("Socket error", as if it had gone): chunks now take at most half of it.
     */
    @Test
    void chunksFitTheServersLargestPacket() throws Exception {
        String odbc = TestDatabase.MARIADB.odbc(dir);
        String table = TestDatabase.freshTable();
        long before;
        try (Connection connection = TestDatabase.MARIADB.admin(odbc);
                Statement statement = connection.createStatement();
                java.sql.ResultSet packet = statement.executeQuery("SELECT @@GLOBAL.max_allowed_packet")) {
            packet.next();
            before = packet.getLong(1);
        }
        byte[] state = new byte[3 << 20];
        new java.util.Random(5).nextBytes(state);
        try (Connection connection = TestDatabase.MARIADB.admin(odbc);
                Statement statement = connection.createStatement()) {
            statement.execute("SET GLOBAL max_allowed_packet = " + (1 << 20)); // new connections take it
            try (TableStore store = new TableStore(new OdbcSource(odbc, table, "", "", ""))) {
                StoredSnapshot stored = store.write(snapshot("run_1"), out -> out.write(state));
                try (java.io.InputStream in = store.open(stored)) {
                    assertThat(in.readAllBytes()).isEqualTo(state);
                }
            } finally {
                statement.execute("SET GLOBAL max_allowed_packet = " + before);
                TestDatabase.MARIADB.drop(odbc, table);
            }
        }
    }

    /** {@code jdbc:mysql:} URLs, which the README names, failed with "No suitable driver". */
    @Test
    void aMysqlSchemeUrlConnects() throws Exception {
        String odbc = TestDatabase.MARIADB.odbc(dir);
        String table = TestDatabase.freshTable();
        try (TableStore store =
                new TableStore(new OdbcSource("jdbc:mysql://127.0.0.1:3306/test?user=root", table, "", "", ""))) {
            store.write(snapshot("run_1"), out -> out.write(new byte[] {1, 2, 3}));
            assertThat(store.list()).extracting(StoredSnapshot::name).containsExactly("run_1");
        } finally {
            TestDatabase.MARIADB.drop(odbc, table);
        }
    }

    private static NewSnapshot snapshot(String name) {
        return new NewSnapshot("run", name.substring(4), Instant.now(), "run-1", "run-1", "w", Codec.NONE);
    }
}
