package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A resume that lowers a limit to the point its snapshot was taken at ends there, as a run given
 * that limit from the start: the end point is queued only when the deciding unit passes control
 * on, and the snapshot was taken after that, so the resumed run used to run one more pass (a walk
 * iteration; an epoch's gradient descent and a validation minibatch) and save a snapshot the other
 * never took.
 */
@Tag("slow")
class LoweredLimitResumeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "walk, walk.walkers=1000, walk.iterations, 20, 30, walk_00020",
        "wine, --random-seed=3, decision.max_epochs, 10, 15, wine_10_",
    })
    void aResumeLoweringTheLimitToItsSnapshotEndsAsTheShorterRun(
            String workflow, String option, String limit, int lowered, int longer, String snapshot) throws Exception {
        VelesProcess shorter = VelesProcess.run(
                dir,
                "run",
                workflow,
                option,
                limit + "=" + lowered,
                "--snapshot-dir",
                "short",
                "--result-file",
                "short.json");
        assertThat(shorter.exitCode()).as(shorter.stderr()).isZero();
        VelesProcess longRun =
                VelesProcess.run(dir, "run", workflow, option, limit + "=" + longer, "--snapshot-dir", "long");
        assertThat(longRun.exitCode()).as(longRun.stderr()).isZero();
        Path taken;
        try (Stream<Path> files = Files.list(dir.resolve("long"))) {
            taken = files.filter(file -> file.getFileName().toString().startsWith(snapshot))
                    .findFirst()
                    .orElseThrow();
        }

        VelesProcess resumed = VelesProcess.run(
                dir,
                "run",
                workflow,
                "-w",
                taken.toString(),
                limit + "=" + lowered,
                "--snapshot-dir",
                "resumed",
                "--result-file",
                "resumed.json");
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(RunResults.read(dir.resolve("resumed.json")))
                .isNotEmpty()
                .isEqualTo(RunResults.read(dir.resolve("short.json")));
        assertThat(dir.resolve("resumed"))
                .as("no snapshot the shorter run never took")
                .doesNotExist();
    }
}
