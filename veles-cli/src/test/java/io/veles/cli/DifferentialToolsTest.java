package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.app.FrozenTableWorkflow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The snapshot tools on a real run's differential chain (a mostly frozen workflow: w_1 standalone, 2..4 differential):
 * ls and inspect show the chain, pin and prune protect it, convert copies it out standalone only
 * on request, and verify of a dependent snapshot names a damaged base.
 */
@Tag("slow")
class DifferentialToolsTest {
    @TempDir
    static Path run;

    @TempDir
    Path work;

    @BeforeAll
    static void writeAChain() throws Exception {
        VelesProcess veles = VelesProcess.run(
                run,
                "run",
                FrozenTableWorkflow.class.getName(),
                "--compression",
                "zst",
                "--snapshot-prefix",
                "w",
                "--incremental");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
    }

    /** A private copy of the run's snapshots (links as links), for a test that changes them. */
    private Path copyOfSnapshots() throws IOException {
        Path from = run.resolve("snapshots");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path to =
                        work.resolve("snapshots").resolve(from.relativize(file).toString());
                if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        return work.resolve("snapshots");
    }

    /**
     * A README beside the snapshots is listed with its reason and counted on stderr, and the
     * listing exits 0 (it once exited 1 with nothing on stderr); --verify, asked to check, exits 1.
     */
    @Test
    void lsListsAFileBesideTheSnapshotsAndFailsOnlyWhenAskedToVerify() throws Exception {
        Path snapshots = copyOfSnapshots();
        Files.writeString(snapshots.resolve("README.txt"), "what these are");
        VelesProcess ls = VelesProcess.run(work, "snapshot", "ls", "snapshots");
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        assertThat(ls.stdout()).contains("snapshots/README.txt is not a veles snapshot");
        assertThat(ls.stderr().strip())
                .isEqualTo("veles: 1 of 5 listed do not read as snapshots (a user's file beside them, damage, or the"
                        + " store's failure)");
        VelesProcess verify = VelesProcess.run(work, "snapshot", "ls", "--verify", "snapshots");
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.stderr().strip()).isEqualTo("veles: 1 of 5 listed did not verify");
    }

    @Test
    void lsShowsEachSnapshotsBaseAndChain() throws Exception {
        VelesProcess ls = VelesProcess.run(run, "snapshot", "ls", "snapshots");
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        List<String> lines = ls.stdout().lines().toList();
        assertThat(lines.get(0)).containsPattern("KEPT +BASE +CHAIN  SOURCE");
        assertThat(lines)
                .anySatisfy(line -> assertThat(line).startsWith("w_1 ").containsPattern(" - +0  snapshots/w_1.zst$"));
        assertThat(lines)
                .anySatisfy(
                        line -> assertThat(line).startsWith("w_3 ").containsPattern(" w_2.zst +2  snapshots/w_3.zst$"));

        VelesProcess json = VelesProcess.run(run, "snapshot", "ls", "--json", "snapshots");
        JsonNode third = new ObjectMapper().readTree(json.stdout()).get(2);
        assertThat(third.get("name").asText()).isEqualTo("w_3");
        assertThat(third.get("base").asText()).isEqualTo("w_2.zst");
        assertThat(third.get("chain").toString()).isEqualTo("[\"w_2.zst\",\"w_1.zst\"]");
        JsonNode first = new ObjectMapper().readTree(json.stdout()).get(0);
        assertThat(first.get("base").isNull()).isTrue();
        assertThat(first.get("chain")).isEmpty();
    }

    @Test
    void inspectShowsTheChainAndWhatEachUnitRewroteAndReferenced() throws Exception {
        VelesProcess inspect = VelesProcess.run(run, "snapshot", "inspect", "snapshots/w_3.zst");
        assertThat(inspect.exitCode()).as(inspect.stderr()).isZero();
        String out = inspect.stdout();
        assertThat(out)
                .contains("differential: base w_2.zst, chain 2 files (w_2.zst, w_1.zst)")
                .contains("units, rewritten here and referenced from the chain:")
                .containsPattern("UNIT +STORED HERE +REFERENCED")
                // the frozen table is referenced, not rewritten
                .containsPattern("\\n  model +[\\d.]+ [KM]iB +[\\d.]+ [KM]iB\\n");

        VelesProcess standalone = VelesProcess.run(run, "snapshot", "inspect", "snapshots/w_1.zst");
        assertThat(standalone.stdout()).contains("chain        standalone").doesNotContain("referenced from the chain");
    }

    @Test
    void pinPinsTheChainAndPruneKeepsTheBasesOfWhatItKeeps() throws Exception {
        copyOfSnapshots();
        VelesProcess prune = VelesProcess.run(work, "snapshot", "prune", "snapshots", "--keep-last", "1", "--dry-run");
        assertThat(prune.exitCode()).as(prune.stderr()).isZero();
        assertThat(prune.stdout())
                .containsPattern("keep +w_1.zst +\\(kept: base of w_4.zst\\)")
                .containsPattern("keep +w_3.zst +\\(kept: base of w_4.zst\\)")
                .contains("dry run: 0 of 4 snapshots would be deleted");

        VelesProcess pin = VelesProcess.run(work, "snapshot", "pin", "snapshots/w_3.zst");
        assertThat(pin.exitCode()).as(pin.stderr()).isZero();
        assertThat(pin.stdout().lines())
                .containsExactly(
                        "pinned snapshots/w_3.zst",
                        "pinned snapshots/w_2.zst (its chain)",
                        "pinned snapshots/w_1.zst (its chain)");
        VelesProcess unpin = VelesProcess.run(work, "snapshot", "pin", "--remove", "snapshots/w_3.zst");
        assertThat(unpin.exitCode()).as(unpin.stderr()).isZero();
        VelesProcess ls = VelesProcess.run(work, "snapshot", "ls", "--json", "snapshots");
        JsonNode listed = new ObjectMapper().readTree(ls.stdout());
        assertThat(listed.get(0).get("pinned").asBoolean()).isTrue();
        assertThat(listed.get(1).get("pinned").asBoolean()).isTrue();
        assertThat(listed.get(2).get("pinned").asBoolean()).isFalse();
    }

    @Test
    void convertRefusesADifferentialSourceWithoutFullAndWithItWritesACopyThatRestoresAlone() throws Exception {
        copyOfSnapshots();
        VelesProcess refused = VelesProcess.run(work, "snapshot", "convert", "snapshots/w_3.zst", "copies/");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr().strip().lines())
                .containsExactly("veles: error: snapshots/w_3.zst is differential (base w_2.zst):"
                        + " use --full for a standalone copy");
        assertThat(work.resolve("copies")).doesNotExist();

        VelesProcess copied = VelesProcess.run(
                work, "snapshot", "convert", "--full", "snapshots/w_3.zst", "copies/", "--compression", "xz");
        assertThat(copied.exitCode()).as(copied.stderr()).isZero();
        assertThat(copied.stdout().strip()).isEqualTo("copies/w_3.xz");

        // Without its chain: the copy stands alone.
        try (Stream<Path> files = Files.walk(work.resolve("snapshots"))) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        VelesProcess inspect = VelesProcess.run(work, "snapshot", "inspect", "copies/w_3.xz");
        assertThat(inspect.stdout()).contains("chain        standalone").contains("source       copies/w_3.xz (xz)");
        VelesProcess verify = VelesProcess.run(work, "snapshot", "verify", "copies/w_3.xz");
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        VelesProcess resume = VelesProcess.run(
                work,
                "run",
                FrozenTableWorkflow.class.getName(),
                "-w",
                "copies/w_3.xz",
                "--snapshot-dir",
                "resumed",
                "--compression",
                "zst");
        assertThat(resume.exitCode()).as(resume.stderr()).isZero();
        try (Stream<Path> resumed = Files.list(work.resolve("resumed"))) {
            assertThat(resumed.map(p -> p.getFileName().toString()))
                    .as(resume.stdout() + resume.stderr())
                    .contains("frozen_4.zst");
        }
    }

    @Test
    void verifyOfADependentSnapshotFailsInOneLineNamingADamagedBase() throws Exception {
        Path snapshots = copyOfSnapshots();
        try (RandomAccessFile file =
                new RandomAccessFile(snapshots.resolve("w_1.zst").toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int b = file.read();
            file.seek(middle);
            file.write(b ^ 0x5a);
        }
        VelesProcess verify = VelesProcess.run(work, "snapshot", "verify", "snapshots/w_3.zst");
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isNotZero();
        String said = (verify.stdout() + verify.stderr()).strip();
        assertThat(said.lines()).hasSize(1);
        assertThat(said).contains("w_3.zst").contains("its base w_1.zst is damaged");
    }
}
