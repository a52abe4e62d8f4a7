package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Ctrl-C during a tool that writes a file (convert, export) leaves nothing behind: not the
 * hidden temporary it was writing, not an export's spill file. Each is caught with its temporary
 * on disk (frozen there with SIGSTOP), then sent SIGINT.
 */
@Tag("slow")
class InterruptedToolsTest {
    @TempDir
    static Path dir;

    /** A snapshot of about 18 MB, so that a conversion to xz takes seconds. */
    private static final String SNAPSHOT = "big/synthetic_1_90.00.gz";

    @BeforeAll
    static void snapshot() throws Exception {
        VelesProcess run = VelesProcess.run(
                dir, "run", "synthetic", "model_mb=8", "decision.max_epochs=1", "--snapshot-dir", "big", "-q");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(dir.resolve(SNAPSHOT)).exists();
    }

    @Test
    void anInterruptedConversionLeavesNothing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("converted"));
        interruptOnceWriting(
                out, "snapshot", "convert", SNAPSHOT, "converted/copy.xz", "--compression", "xz", "--level", "9");
        assertThat(entries(out)).isEmpty();
    }

    @Test
    void anInterruptedExportLeavesNothing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("exported"));
        interruptOnceWriting(out, "snapshot", "export", SNAPSHOT, "--format", "safetensors", "-o", "exported/s.st");
        assertThat(entries(out)).isEmpty();
    }

    /** Starts veles, waits for a file to appear in {@code out}, freezes it there and sends SIGINT. */
    private static void interruptOnceWriting(Path out, String... args) throws Exception {
        VelesProcess veles = VelesProcess.startInterruptible(dir, args);
        for (int i = 0; i < 60_000 && entries(out).isEmpty() && veles.isAlive(); i++) {
            Thread.sleep(1);
        }
        veles.freeze();
        List<String> writing = entries(out);
        assertThat(writing)
                .as("caught while writing: " + veles.stderr())
                .isNotEmpty()
                .allMatch(name -> name.startsWith("."));
        assertThat(veles.interrupt()).isTrue();
        veles.thaw();
        veles.waitFor(60);
        assertThat(veles.exitCode()).as("interrupted while writing " + writing).isEqualTo(130);
    }

    private static List<String> entries(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
