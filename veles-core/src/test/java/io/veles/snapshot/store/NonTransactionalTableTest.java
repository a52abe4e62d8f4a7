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

/**
 * A MariaDB table in an engine without transactions would keep the row of a write that failed
 * after its first insert, half-written, as the run's newest: such a table is refused before
 * anything is written to it, naming the engine.
 */
@Tag("slow")
class NonTransactionalTableTest {
    @TempDir
    Path dir;

    @Test
    void aMyIsamTableIsRefusedBeforeAnyWrite() throws Exception {
        String odbc = TestDatabase.MARIADB.odbc(dir);
        String table = TestDatabase.freshTable();
        try (TableStore store = new TableStore(new OdbcSource(odbc, table, "", "", ""))) {
            store.write(snapshot("run_1"), out -> out.write(new byte[] {1, 2, 3})); // makes the tables, InnoDB
            try (Connection connection = TestDatabase.MARIADB.admin(odbc);
                    Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE " + table + " ENGINE=MyISAM");
            }
            try (TableStore later = new TableStore(new OdbcSource(odbc, table, "", "", ""))) { // the next run
                assertThatThrownBy(() -> later.write(snapshot("run_2"), out -> out.write(new byte[] {4})))
                        .isInstanceOf(SnapshotStoreException.class)
                        .hasMessageContaining("table " + table)
                        .hasMessageContaining("uses the MyISAM engine, which has no transactions");
                assertThat(later.list()).extracting(StoredSnapshot::name).containsExactly("run_1");
            }
        } finally {
            TestDatabase.MARIADB.drop(odbc, table);
        }
    }

    private static NewSnapshot snapshot(String name) {
        return new NewSnapshot("run", name.substring(4), Instant.now(), "run-1", "run-1", "w", Codec.NONE);
    }
}
