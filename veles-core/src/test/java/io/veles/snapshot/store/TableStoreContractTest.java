package io.veles.snapshot.store;

import io.veles.internal.db.OdbcSource;
import io.veles.testing.TestDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link SnapshotStoreContract} for a table, on SQLite and on the MariaDB and PostgreSQL servers. */
class TableStoreContractTest {

    /** The contract on a fresh table of one database. */
    abstract static class OnDatabase extends SnapshotStoreContract {
        @TempDir
        Path dir;

        private final String table = TestDatabase.freshTable();
        private String odbc;

        abstract TestDatabase database();

        @Override
        protected SnapshotStore openStore() {
            if (odbc == null) {
                odbc = database().odbc(dir);
            }
            return new TableStore(new OdbcSource(odbc, table, "", "", ""));
        }

        @Override
        protected boolean locksPrefixes() {
            return false;
        }

        @Override
        protected void cleanUp() {
            if (odbc != null && database() != TestDatabase.SQLITE) {
                database().drop(odbc, table);
            }
        }
    }

    @Nested
    class Sqlite extends OnDatabase {
        @Override
        TestDatabase database() {
            return TestDatabase.SQLITE;
        }
    }

    @Nested
    @Tag("slow")
    class MariaDb extends OnDatabase {
        @Override
        TestDatabase database() {
            return TestDatabase.MARIADB;
        }
    }

    @Nested
    @Tag("slow")
    class PostgreSql extends OnDatabase {
        @Override
        TestDatabase database() {
            return TestDatabase.POSTGRESQL;
        }
    }
}
