package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@code veles snapshot inspect} and {@code verify} on a real run's snapshots. */
@Tag("slow")
class InspectTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void run() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir,
                "run",
                "walk",
                "walk.walkers=5000",
                "walk.iterations=4",
                "--compression",
                "zst",
                "--snapshot-prefix",
                "w");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
    }

    @Test
    void showsTheManifestAndUnitsLargestFirst() throws Exception {
        VelesProcess inspect = VelesProcess.run(dir, "snapshot", "inspect", "snapshots");
        assertThat(inspect.exitCode()).as(inspect.stderr()).isZero();
        String out = inspect.stdout();
        assertThat(out)
                .contains("snapshot     w_00004")
                .contains("source       snapshots/w_00004.zst (zst)")
                .contains("workflow     walk (io.veles.samples.walk.RandomWalkWorkflow)")
                .contains("iteration    4");
        String units = out.substring(out.indexOf("units, largest first:"));
        assertThat(units.indexOf("integrator")).isLessThan(units.indexOf("statistics"));
        assertThat(units).containsPattern("integrator +19\\.\\d KiB  io.veles.samples.walk.Integrator");
    }

    @Test
    void printsJsonForTools() throws Exception {
        VelesProcess inspect = VelesProcess.run(dir, "snapshot", "inspect", "--json", "snapshots/w_00002.zst");
        JsonNode manifest = new ObjectMapper().readTree(inspect.stdout());
        assertThat(manifest.get("name").asText()).isEqualTo("w_00002");
        assertThat(manifest.get("codec").asText()).isEqualTo("zst");
        assertThat(manifest.get("units")).hasSize(9);
        assertThat(manifest.get("info").get("iteration").asInt()).isEqualTo(2);
        assertThat(manifest.get("codeFingerprint").asText()).startsWith("sha256:");
    }

    /** The format shown is the file's own: a format-1 golden snapshot says 1, a new one the current. */
    @Test
    void showsTheFormatTheFileWasWrittenIn() throws Exception {
        Path golden = Path.of("../veles-core/src/test/resources/golden/format-1/golden.gz")
                .toAbsolutePath();
        VelesProcess old = VelesProcess.run(dir, "snapshot", "inspect", golden.toString());
        assertThat(old.exitCode()).as(old.stderr()).isZero();
        assertThat(old.stdout()).containsPattern("writer +.*, format 1\n");
        VelesProcess oldJson = VelesProcess.run(dir, "snapshot", "inspect", "--json", golden.toString());
        assertThat(new ObjectMapper().readTree(oldJson.stdout()).get("format").asInt())
                .isEqualTo(1);
        VelesProcess current = VelesProcess.run(dir, "snapshot", "inspect", "snapshots");
        assertThat(current.stdout())
                .containsPattern("writer +.*, format " + io.veles.snapshot.format.SnapshotFormat.VERSION + "\n");
    }

    @Test
    void showsTheSchemaARestoreExpects() throws Exception {
        VelesProcess inspect = VelesProcess.run(dir, "snapshot", "inspect", "--schema", "snapshots");
        assertThat(inspect.stdout())
                .contains("io.veles.samples.walk.Integrator")
                .containsPattern("positions\\s+float\\[\\]")
                .contains("io.veles.random.Prng  (custom getState/setState)");
    }

    @Test
    void verifySaysOkAndExitsZero() throws Exception {
        VelesProcess verify = VelesProcess.run(dir, "snapshot", "verify", "snapshots/w_00003.zst");
        assertThat(verify.exitCode()).isZero();
        assertThat(verify.stdout()).startsWith("snapshots/w_00003.zst: OK (w_00003, zst, 9 units");
    }

    @Test
    void extractCodeWritesTheWorkflowsJar() throws Exception {
        VelesProcess run = VelesProcess.run(
                dir,
                "run",
                "walk",
                "walk.walkers=100",
                "walk.iterations=1",
                "--code-backup",
                "--snapshot-dir",
                "with-code");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        VelesProcess extract = VelesProcess.run(dir, "snapshot", "extract-code", "with-code", "code");
        assertThat(extract.exitCode()).as(extract.stderr()).isZero();
        assertThat(extract.stdout())
                .containsPattern("wrote \\d+ files? of io.veles.samples.walk.RandomWalkWorkflow's code");
        // The CLI test class path holds the samples module as classes or as a jar.
        try (var files = java.nio.file.Files.walk(dir.resolve("code"))) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile).count()).isPositive();
        }
        VelesProcess again = VelesProcess.run(dir, "snapshot", "extract-code", "with-code", "code");
        assertThat(again.exitCode()).as("existing files are kept").isEqualTo(1);
        assertThat(again.stderr()).contains("exists (--force replaces it)");
        VelesProcess forced = VelesProcess.run(dir, "snapshot", "extract-code", "--force", "with-code", "code");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        VelesProcess capped =
                VelesProcess.run(dir, "snapshot", "extract-code", "--max-size", "1K", "with-code", "small");
        assertThat(capped.exitCode()).isEqualTo(1);
        assertThat(capped.stderr()).contains("expands to more than 1024 bytes (the cap; raise it with --max-size)");
        assertThat(dir.resolve("small")).doesNotExist();
        VelesProcess badSize =
                VelesProcess.run(dir, "snapshot", "extract-code", "--max-size", "lots", "with-code", "x");
        assertThat(badSize.exitCode()).isEqualTo(2);
        assertThat(badSize.stderr()).contains("'lots' is not a byte count");
        VelesProcess none = VelesProcess.run(dir, "snapshot", "extract-code", "snapshots", "nothing");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr()).contains("carries no code backup");
    }

    @Test
    void aWineSnapshotListsItsUnitsAndSizes() throws Exception {
        VelesProcess run = VelesProcess.run(dir, "run", "wine", "decision.max_epochs=2", "--snapshot-dir", "wine");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        VelesProcess inspect = VelesProcess.run(dir, "snapshot", "inspect", "wine");
        String units = inspect.stdout().substring(inspect.stdout().indexOf("units, largest first:"));
        for (String unit :
                new String[] {"loader", "fc1", "softmax", "evaluator", "decision", "snapshotter", "gd_fc1", "gd_softmax"
                }) {
            assertThat(units).containsPattern("\\n  " + unit + " +[0-9.]+ (B|KiB)");
        }
        assertThat(inspect.stdout()).contains("epoch        2").contains("validation_error");
    }
}
