package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** diff: two snapshots of one run differ (listed), a snapshot and its converted copy are equal. */
@Tag("slow")
class DiffCommandTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void train() throws Exception {
        VelesProcess veles = VelesProcess.run(dir, "run", "wine", "decision.max_epochs=3", "--snapshot-dir", "snaps");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        VelesProcess walk = VelesProcess.run(
                dir, "run", "walk", "walk.walkers=100", "walk.iterations=2", "--snapshot-dir", "walks");
        assertThat(walk.exitCode()).as(walk.stderr()).isZero();
    }

    @Test
    void twoEpochsOfOneRunDifferInTheirWeights() throws Exception {
        VelesProcess diff = VelesProcess.run(
                dir, "snapshot", "diff", "--sort", "max", "snaps/wine_1_77.36.gz", "snaps/wine_2_3.77.gz");
        assertThat(diff.exitCode()).as(diff.stderr()).isEqualTo(DiffCommand.DIFFERENT);
        assertThat(diff.stdout())
                .contains("weights")
                .contains("elements differ")
                .contains("differences");
        // A field holding an object is opened up, field by field, rather than shown as Class@hash.
        assertThat(diff.stdout())
                .containsPattern("learningRate\\.epochs +- +- +- +1 -> 2")
                .doesNotContainPattern("@[0-9a-f]{6,}");
    }

    @Test
    void aSnapshotAndItsConvertedCopyAreEqual() throws Exception {
        VelesProcess convert =
                VelesProcess.run(dir, "snapshot", "convert", "snaps/wine_2_3.77.gz", "copy.xz", "--compression", "xz");
        assertThat(convert.exitCode()).as(convert.stderr()).isZero();
        VelesProcess diff = VelesProcess.run(dir, "snapshot", "diff", "snaps/wine_2_3.77.gz", "copy.xz");
        assertThat(diff.exitCode()).as(diff.stdout() + diff.stderr()).isEqualTo(DiffCommand.EQUAL);
        assertThat(diff.stdout()).startsWith("equal:");
    }

    @Test
    void differentWorkflowsAreRefusedUnlessForcedAndErrorsExitTwo() throws Exception {
        VelesProcess refused = VelesProcess.run(dir, "snapshot", "diff", "snaps", "walks");
        assertThat(refused.exitCode()).isEqualTo(DiffCommand.ERROR);
        assertThat(refused.stderr()).contains("different workflows").contains("--force");
        VelesProcess forced = VelesProcess.run(dir, "snapshot", "diff", "--force", "snaps", "walks");
        assertThat(forced.exitCode()).as(forced.stderr()).isEqualTo(DiffCommand.DIFFERENT);
        VelesProcess missing = VelesProcess.run(dir, "snapshot", "diff", "snaps", "nope.gz");
        assertThat(missing.exitCode()).isEqualTo(DiffCommand.ERROR);
    }
}
