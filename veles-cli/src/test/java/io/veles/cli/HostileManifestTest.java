package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A snapshot whose manifest strings carry a newline that starts a forged log line, an OSC
 * sequence that retitles the terminal and a CSI sequence that clears the screen: every command
 * that prints them (inspect, verify, ls, prune, diff, run) shows them escaped.
 */
@Tag("slow")
class HostileManifestTest {
    static final String FORGED_LINE = "\n[INFO] forged";
    static final String TITLE = "\u001b]0;title\u0007";
    static final String CLEAR = "\u001b[2J";
    static final String C1 = "\u009b2J";

    @TempDir
    static Path dir;

    @BeforeAll
    static void craft() throws Exception {
        VelesProcess veles = VelesProcess.run(
                dir,
                "run",
                "walk",
                "walk.walkers=100",
                "walk.iterations=2",
                "--snapshot-prefix",
                "w",
                "--compression",
                "gz");
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
        Files.createDirectories(dir.resolve("hostile"));
        // As an attacker would: rewrite the manifest and write the snapshot again, checksums and all.
        try (SnapshotReader reader = Snapshots.openFile(dir.resolve("snapshots/w_00002.gz"));
                OutputStream out = Files.newOutputStream(dir.resolve("hostile/w_00002.gz"))) {
            Manifest hostile = reader.manifest().toBuilder()
                    .name("w" + FORGED_LINE + TITLE)
                    .id("run" + CLEAR + FORGED_LINE)
                    .info("note" + TITLE, "fine" + FORGED_LINE + CLEAR + C1)
                    .build();
            reader.transcode(Codec.GZIP, 1, null, out, hostile);
        }
    }

    /** No control character but the line ends, and no forged line. */
    private static void assertPrintable(String output) {
        assertThat(output.replace("\n", "").chars().filter(c -> c < 0x20 || c >= 0x7f && c <= 0x9f))
                .as("control characters in:%n%s", output)
                .isEmpty();
        assertThat(output).doesNotContain(FORGED_LINE);
    }

    @Test
    void inspectShowsTheStringsEscaped() throws Exception {
        VelesProcess inspect = VelesProcess.run(dir, "snapshot", "inspect", "hostile/w_00002.gz");
        assertThat(inspect.exitCode()).as(inspect.stderr()).isZero();
        assertPrintable(inspect.stdout());
        assertThat(inspect.stdout())
                .contains("snapshot     w\\n[INFO] forged\\u001b]0;title\\u0007")
                .contains("id run\\u001b[2J\\n[INFO] forged")
                .contains("fine\\n[INFO] forged\\u001b[2J\\u009b2J");

        VelesProcess json = VelesProcess.run(dir, "snapshot", "inspect", "--json", "hostile/w_00002.gz");
        assertPrintable(json.stdout());
        JsonNode manifest = new ObjectMapper().readTree(json.stdout());
        assertThat(manifest.get("name").asText())
                .as("JSON escapes keep the value")
                .isEqualTo("w" + FORGED_LINE + TITLE);
        assertThat(manifest.get("info").get("note" + TITLE).asText()).isEqualTo("fine" + FORGED_LINE + CLEAR + C1);

        VelesProcess verify = VelesProcess.run(dir, "snapshot", "verify", "hostile/w_00002.gz");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertPrintable(verify.stdout());
    }

    @Test
    void lsShowsTheStringsEscaped() throws Exception {
        VelesProcess ls = VelesProcess.run(dir, "snapshot", "ls", "hostile");
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        assertPrintable(ls.stdout());
        assertThat(ls.stdout()).contains("w\\n[INFO] forged\\u001b]0;title\\u0007");

        VelesProcess json = VelesProcess.run(dir, "snapshot", "ls", "--json", "hostile");
        assertPrintable(json.stdout());
        assertThat(new ObjectMapper().readTree(json.stdout()).get(0).get("id").asText())
                .isEqualTo("run" + CLEAR + FORGED_LINE);

        VelesProcess prune = VelesProcess.run(dir, "snapshot", "prune", "hostile", "--keep-last", "1", "--dry-run");
        assertThat(prune.exitCode()).as(prune.stderr()).isZero();
        assertPrintable(prune.stdout());
        // The plan names files by their whole file name (the manifest's name is not trusted there).
        assertThat(prune.stdout()).contains("keep         w_00002.gz");
    }

    @Test
    void diffAndItsErrorsShowTheStringsEscaped() throws Exception {
        VelesProcess diff = VelesProcess.run(dir, "snapshot", "diff", "snapshots/w_00002.gz", "hostile/w_00002.gz");
        assertThat(diff.exitCode()).as(diff.stderr()).isZero();
        assertPrintable(diff.stdout() + diff.stderr());

        // A file named like the forged line: the error that quotes it prints it escaped.
        Path named = Files.createDirectories(dir.resolve("named")).resolve("x" + CLEAR + FORGED_LINE);
        Files.writeString(named, "not a snapshot");
        VelesProcess error =
                VelesProcess.run(dir, "snapshot", "diff", "snapshots/w_00002.gz", "named/" + named.getFileName());
        assertThat(error.exitCode()).isEqualTo(DiffCommand.ERROR);
        assertPrintable(error.stdout() + error.stderr());
        // One line: SnapshotException shows the newline as \n, as it shows every control character.
        assertThat(error.stderr()).contains("x\\u001b[2J\\n[INFO] forged is not a veles snapshot");
    }

    @Test
    void theRunLogShowsTheStringsEscaped() throws Exception {
        VelesProcess resume = VelesProcess.run(
                dir,
                "run",
                "walk",
                "walk.walkers=100",
                "walk.iterations=3",
                "--snapshot-dir",
                "resumed",
                "-w",
                "hostile/w_00002.gz");
        assertThat(resume.exitCode()).as(resume.stderr()).isZero();
        assertPrintable(resume.stdout() + resume.stderr());
        assertThat(resume.stderr())
                .contains("(snapshot w\\n[INFO] forged\\u001b]0;title\\u0007 taken")
                .contains("by run run\\u001b[2J\\n[INFO] forged");
    }
}
