package io.veles.cli;

import static io.veles.cli.VelesProcess.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.veles.internal.store.SnapshotDirectory;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.Snapshots;
import io.veles.testing.TestDepth;
import io.veles.workflow.Workflow;
import io.veles.znicz.samples.SyntheticSample;
import io.veles.znicz.samples.WineSample;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Training killed with SIGKILL at three epochs (the first of them only, unless
 * {@code VELES_BIG_TESTS=1}: see {@link TestDepth}) and resumed with -w ends exactly as the
 * uninterrupted run: equal result files (values equal, not close), and final snapshots equal
 * field by field, which covers the generator, the shuffle order, the momentum buffers, the
 * learning-rate position and the decision's history.
 */
@Tag("slow")
class TrainingResumeTest {
    /** Wall-clock and where-it-went fields of the snapshotter: the only ones allowed to differ. */
    private static final Set<String> WALL_CLOCK =
            Set.of("Snapshotter.lastSnapshotMillis", "Snapshotter.destination", "Snapshotter.recorded");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "wine, 'decision.max_epochs=120 decision.fail_iterations=1000', 20 55 90",
        "synthetic, 'synthetic.samples=300 decision.max_epochs=60 decision.fail_iterations=1000', 10 25 45"
    })
    void aKilledRunResumesToTheUninterruptedResult(String sample, String settings, String killPoints) throws Exception {
        String[] workload = (settings + " --random-seed 3 --compression lz4").split(" ");
        Map<?, ?> expected = RunResults.ofUninterruptedRun(dir, sample, workload);
        Workflow expectedState = finalState(dir.resolve("whole"), sample);

        String[] points = killPoints.split(" ");
        int kills = TestDepth.repetitions("TrainingResumeTest", "kill points per sample", 1, points.length);
        for (String point : Arrays.copyOf(points, kills)) {
            int epochs = Integer.parseInt(point);
            Path snaps = dir.resolve("killed" + epochs);
            VelesProcess killed = VelesProcess.start(
                    dir, concat(new String[] {"run", sample, "--snapshot-dir", snaps.toString()}, workload));
            while (killed.isAlive() && snapshots(snaps) < epochs) {
                Thread.sleep(5);
            }
            assertThat(killed.isAlive())
                    .as("the run ended before epoch %d: %s", epochs, killed.stderr())
                    .isTrue();
            killed.kill();

            Path result = dir.resolve("resumed" + epochs + ".json");
            // A resume writes where its own command line says: here, on into the killed run's directory.
            VelesProcess resumed = VelesProcess.run(
                    dir,
                    "run",
                    sample,
                    "-w",
                    snaps.toString(),
                    "--snapshot-dir",
                    snaps.toString(),
                    "--result-file",
                    result.toString());
            assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
            Map<?, ?> actual = RunResults.read(result);
            assertThat(actual).as("%s killed after %d epochs", sample, epochs).isEqualTo(expected);
            assertThat(StateComparison.differences(expectedState, finalState(snaps, sample), WALL_CLOCK))
                    .as("final snapshot after a kill at epoch %d", epochs)
                    .isEmpty();
        }
    }

    private static Workflow finalState(Path directory, String sample) throws Exception {
        Class<? extends Workflow> type =
                sample.equals("wine") ? WineSample.WineWorkflow.class : SyntheticSample.SyntheticWorkflow.class;
        return Snapshots.restore(directory.toString(), type, RestoreRules.forWorkflow(type), null)
                .workflow();
    }

    private static long snapshots(Path directory) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        return new SnapshotDirectory(directory).snapshots().size();
    }
}
