package io.veles.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.BigRoundTrip;
import io.veles.testing.ChildProcess;
import io.veles.testing.FreshJvm;
import io.veles.testing.FreshTables;
import io.veles.testing.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A 4 GiB snapshot stored in and read back from each database by a JVM with a 256 MiB heap, with
 * the servers' default settings (MariaDB's 16 MiB packet). It takes minutes and 4 GiB of disk per
 * database, so it runs only with {@code VELES_BIG_TESTS=1} (as on CI); {@code VELES_BIG_TEST_BYTES}
 * sets another size.
 */
@Tag("slow")
class LargeSnapshotTest {
    private static final long SIZE =
            Long.parseLong(System.getenv().getOrDefault("VELES_BIG_TEST_BYTES", String.valueOf(4L << 30)));

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshTables tables = new FreshTables();

    private TestDatabase database;
    private String odbc;
    private String table;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFourGibSnapshotStoresAndReadsBackInA256MibHeap(TestDatabase db) throws Exception {
        if (!"1".equals(System.getenv("VELES_BIG_TESTS"))) {
            Assumptions.abort("the " + (SIZE >> 20) + " MiB database test runs with VELES_BIG_TESTS=1 (as on CI)");
        }
        database = db;
        odbc = db.odbc(dir);
        table = tables.fresh(db, odbc);
        ChildProcess.Result result = ChildProcess.of(FreshJvm.command(
                        List.of("-Xmx256m"), BigRoundTrip.class, "table", odbc, table, String.valueOf(SIZE)))
                .mergeErrors()
                .timeout(Duration.ofMinutes(20))
                .run();
        List<String> lines = result.output().lines().toList();
        System.err.println(db + ": " + String.join(" | ", lines));
        assertThat(result.exitCode()).as(String.join("\n", lines)).isZero();
        assertThat(lines).anyMatch(line -> line.startsWith("ok " + SIZE + " "));
    }
}
