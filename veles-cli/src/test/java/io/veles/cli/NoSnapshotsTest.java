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
        assertThat(run.stderr() + run.stdout()).doesNotContain("last snapshot:");
        Path snaps = dir.resolve("snaps");
        if (Files.exists(snaps)) {
            try (Stream<Path> files = Files.list(snaps)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".gz"));
            }
        }
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
