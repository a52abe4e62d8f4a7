package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** {@code run --no-snapshots}, the baseline of bench/overhead: the run ends as usual and writes no snapshot. */
class NoSnapshotsTest {
    @TempDir
    Path dir;

    @Test
    void aRunWithoutSnapshotsEndsAndWritesNoSnapshotNotEvenTheFinalOne() throws Exception {
        VelesProcess run = VelesProcess.run(
                dir, "run", "wine", "--no-snapshots", "--snapshot-dir", "snaps", "decision.max_epochs=3");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr() + run.stdout())
                .doesNotContain("last snapshot:")
                .contains("snapshots are off for this run (--no-snapshots)")
                .contains("no final snapshot: snapshots are off for this run")
                .as("nothing to warn of: no snapshot was asked for")
                .doesNotContain("[WARN]");
        // no store touched: the directory (with the prefix's lock file) was made, and a database's tables
        assertThat(dir.resolve("snaps")).doesNotExist();
    }

    /**
     * A run without snapshots took the prefix's writer lock all the same: refused while another
     * run wrote the prefix, and failed on a database it would never write to.
     */
    @Test
    void aRunWithoutSnapshotsTouchesNoStore() throws Exception {
        VelesProcess unreachable = VelesProcess.run(
                dir,
                "run",
                "wine",
                "--no-snapshots",
                "--odbc",
                "DRIVER={SQLite3};DATABASE=" + dir.resolve("no/such/dir/x.db"),
                "decision.max_epochs=1");
        assertThat(unreachable.exitCode()).as(unreachable.stderr()).isZero();
        assertThat(dir.resolve("no")).doesNotExist();
    }

    @Test
    void theSameRunWithSnapshotsWritesOnePerEpoch() throws Exception {
        VelesProcess run = VelesProcess.run(dir, "run", "wine", "--snapshot-dir", "snaps", "decision.max_epochs=3");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("snaps"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> name.matches("wine_\\d.*\\.gz")))
                    .hasSize(3);
        }
    }
}
