package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** {@code --snapshot-key}: signed snapshots, and restores that accept only them. */
@Tag("slow")
class SignedSnapshotTest {
    @TempDir
    Path dir;

    private Path key(String name, long seed) throws Exception {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void signedRunsResumeWithTheirKeyAndNotWithAnother() throws Exception {
        Path key = key("key", 1);
        VelesProcess run = VelesProcess.run(
                dir, "run", "walk", "walk.walkers=1000", "walk.iterations=3", "--snapshot-key", key.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();

        VelesProcess resumed =
                VelesProcess.run(dir, "run", "walk", "-w", "snapshots", "--snapshot-key", key.toString());
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).contains("signature checked");

        VelesProcess wrong = VelesProcess.run(
                dir,
                "run",
                "walk",
                "-w",
                "snapshots",
                "--snapshot-key",
                key("other", 2).toString());
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.stderr()).contains("veles: error: snapshots/walk_00003.gz has a wrong signature");

        VelesProcess verify = VelesProcess.run(dir, "snapshot", "verify", "--key", key.toString(), "snapshots");
        assertThat(verify.stdout()).contains("OK").contains("signature checked");
        VelesProcess inspect = VelesProcess.run(dir, "snapshot", "inspect", "snapshots");
        assertThat(inspect.stdout()).contains("signed       yes (HMAC-SHA256)");
        assertThat(inspect.stdout())
                .as("inspect has no key: it must not pass for a check")
                .contains("signed       yes (HMAC-SHA256) (not checked: no key;");
    }

    @Test
    void anUnsignedSnapshotIsRefusedWhenAKeyIsGiven() throws Exception {
        VelesProcess run = VelesProcess.run(dir, "run", "walk", "walk.walkers=1000", "walk.iterations=2");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        VelesProcess resumed = VelesProcess.run(
                dir,
                "run",
                "walk",
                "-w",
                "snapshots",
                "--snapshot-key",
                key("key", 1).toString());
        assertThat(resumed.exitCode()).isEqualTo(1);
        assertThat(resumed.stderr())
                .contains("is not signed; with a snapshot key, only snapshots signed with it are accepted");
    }
}
