package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code --allow-package} decides what a run saves as well as what a restore accepts: a class of
 * a library jar is refused when the snapshot is taken, in one line with the fix, unless the
 * package is allowed; and a snapshot holding it restores only with the same flag.
 */
@Tag("slow")
class AllowPackageTest {
    private static final String WORKFLOW = "com.example.app.VersionedWorkflow";
    private static final String JACKSON = "com.fasterxml.jackson.core";

    @TempDir
    Path dir;

    private List<Path> snapshots(Path directory) throws Exception {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("versioned"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aLibraryClassIsRefusedAtSaveUnlessItsPackageIsAllowedAndRestoresOnlyWithTheFlag() throws Exception {
        Path refusedDir = dir.resolve("refused");
        VelesProcess refused = VelesProcess.run(dir, "run", WORKFLOW, "--snapshot-dir", refusedDir.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr())
                .contains("cannot capture a " + JACKSON + ".Version: a restore would refuse it")
                .contains("RestoreRules.allowPackage(\"" + JACKSON + "\") or --allow-package " + JACKSON)
                .contains("at unit 'holder' → Holder.version");
        assertThat(snapshots(refusedDir)).isEmpty();

        Path savedDir = dir.resolve("saved");
        VelesProcess saved = VelesProcess.run(
                dir, "run", WORKFLOW, "--snapshot-dir", savedDir.toString(), "--allow-package", JACKSON);
        assertThat(saved.exitCode()).as(saved.stderr()).isZero();
        List<Path> written = snapshots(savedDir);
        assertThat(written).isNotEmpty();
        String snapshot = written.get(0).toString();

        VelesProcess withoutFlag = VelesProcess.run(
                dir,
                "run",
                WORKFLOW,
                "-w",
                snapshot,
                "--snapshot-dir",
                dir.resolve("resumed1").toString());
        assertThat(withoutFlag.exitCode()).isNotZero();
        assertThat(withoutFlag.stderr()).contains("names class " + JACKSON + ".Version, which is not allowed");

        VelesProcess withFlag = VelesProcess.run(
                dir,
                "run",
                WORKFLOW,
                "-w",
                snapshot,
                "--snapshot-dir",
                dir.resolve("resumed2").toString(),
                "--allow-package",
                JACKSON);
        assertThat(withFlag.exitCode()).as(withFlag.stderr()).isZero();
    }
}
