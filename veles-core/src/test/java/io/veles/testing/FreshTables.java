package io.veles.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Fresh snapshot tables for a test, dropped (with their chunk and pin tables) after it, so that a
 * test class needs no fields or {@code @AfterEach} of its own for the clean-up. Register it with
 * {@code @RegisterExtension final FreshTables tables = new FreshTables();}. SQLite's tables go
 * with the test's temporary directory.
 */
public final class FreshTables implements AfterEachCallback {
    private record Made(TestDatabase database, String odbc, String table) {}

    private final List<Made> made = new ArrayList<>();

    /** A table name no other test uses in {@code database} at {@code odbc}, dropped after the test. */
    public String fresh(TestDatabase database, String odbc) {
        String table = TestDatabase.freshTable();
        made.add(new Made(database, odbc, table));
        return table;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            for (Made table : made) {
                if (table.database() != TestDatabase.SQLITE) {
                    table.database().drop(table.odbc(), table.table());
                }
            }
        } finally {
            made.clear();
        }
    }
}
