package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.veles.testing.ChildProcess;
import io.veles.testing.Requirement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Progress on long work: a bar redrawn in place when veles runs on a terminal (a real
 * pseudo-terminal from {@code script}), log lines when it does not, nothing under --quiet. The
 * delay before progress shows is set to zero so that a 35 MiB snapshot is enough.
 */
@Tag("slow")
class ProgressTest {
    /** Progress at once, redrawn every 50 ms. */
    static final List<String> IMMEDIATE = List.of("-Dveles.progress.delay_ms=0", "-Dveles.progress.interval_ms=50");

    @TempDir
    static Path dir;

    static VelesProcess training;

    @BeforeAll
    static void writeALargeSnapshot() throws Exception {
        training = VelesProcess.run(dir, IMMEDIATE, "run", "synthetic", "model_mb=16", "decision.max_epochs=1");
        assertThat(training.exitCode()).as(training.stderr()).isZero();
    }

    @Test
    void writingASnapshotLogsProgressLinesWhenNotOnATerminal() {
        List<String> lines = progressLines(training.stderr(), "writing synthetic_1_");
        assertThat(lines).as(training.stderr()).isNotEmpty();
        assertThat(lines.get(lines.size() - 1))
                .contains("100%")
                .contains("MiB/s")
                .containsPattern("/\\d+ MiB");
        assertThat(training.stderr()).doesNotContain("\r");
    }

    @Test
    void convertingShowsABarWithBytesRateAndTimeLeftOnATerminal() throws Exception {
        Terminal terminal = onTerminal(
                dir,
                "snapshot",
                "convert",
                "snapshots/synthetic_current.gz",
                "converted.bz2",
                "--compression",
                "bz2",
                "--level",
                "9");
        String screen = terminal.screen();
        assertThat(terminal.exitCode()).as(screen).isZero();
        // Redrawn in place: carriage returns, no log lines, the last drawing complete. bzip2 makes
        // the work last over a second, the least the library needs to show a rate.
        assertThat(screen).contains("\r").doesNotContain("[INFO] progress");
        List<String> drawings = List.of(screen.split("\r")).stream()
                .filter(drawing -> drawing.startsWith("reading synthetic_current.gz"))
                .toList();
        assertThat(drawings).as(screen).hasSizeGreaterThan(1);
        assertThat(drawings.get(drawings.size() - 1))
                .contains("100%")
                .containsPattern("\\d+/\\d+ MiB") // bytes
                .containsPattern("\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\)") // elapsed / time left
                .containsPattern("\\d+\\.\\d MiB/s"); // rate
        assertThat(dir.resolve("converted.bz2")).exists();
    }

    @Test
    void quietShowsNoProgress() throws Exception {
        VelesProcess quiet =
                VelesProcess.run(dir, IMMEDIATE, "--quiet", "snapshot", "verify", "snapshots/synthetic_current.gz");
        assertThat(quiet.exitCode()).as(quiet.stderr()).isZero();
        assertThat(quiet.stderr()).doesNotContain("progress").doesNotContain("%");
        VelesProcess loud = VelesProcess.run(dir, IMMEDIATE, "snapshot", "verify", "snapshots/synthetic_current.gz");
        assertThat(progressLines(loud.stderr(), "reading synthetic_current.gz"))
                .as(loud.stderr())
                .isNotEmpty();
    }

    @Test
    void restoringAndDownloadingLogProgress() throws Exception {
        byte[] snapshot = Files.readAllBytes(dir.resolve("snapshots/synthetic_current.gz"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/synthetic_1.gz", exchange -> {
            exchange.sendResponseHeaders(200, snapshot.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(snapshot);
            }
        });
        server.start();
        try {
            Path work = Files.createTempDirectory(dir, "download");
            String address = "http://127.0.0.1:" + server.getAddress().getPort() + "/synthetic_1.gz";
            VelesProcess veles = VelesProcess.run(
                    work, IMMEDIATE, "run", "synthetic", "-w", address, "model_mb=16", "decision.max_epochs=1");
            assertThat(veles.exitCode()).as(veles.stderr()).isZero();
            assertThat(progressLines(veles.stderr(), "downloading synthetic_1.gz"))
                    .as(veles.stderr())
                    .isNotEmpty();
            assertThat(progressLines(veles.stderr(), "reading synthetic_1.gz"))
                    .as(veles.stderr())
                    .isNotEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSmallSnapshotShowsNoProgressOnATerminalNorOffIt() throws Exception {
        // A wine snapshot is a few KiB: even with no delay, reading or writing it shows nothing
        // (it would show as "0/0 MiB ... 0.0 MiB/s").
        Path work = Files.createTempDirectory(dir, "small");
        VelesProcess training = VelesProcess.run(work, IMMEDIATE, "run", "wine", "decision.max_epochs=2");
        assertThat(training.exitCode()).as(training.stderr()).isZero();
        List<Path> snapshots;
        try (var files = Files.list(work.resolve("snapshots"))) {
            snapshots = files.filter(
                            f -> !Files.isSymbolicLink(f) && f.toString().endsWith(".gz"))
                    .sorted()
                    .toList();
        }
        assertThat(snapshots).hasSizeGreaterThan(1);
        assertThat(Files.size(snapshots.get(0))).isLessThan(1 << 20); // under the 1 MiB that progress needs
        String first = work.relativize(snapshots.get(0)).toString();
        String last = work.relativize(snapshots.get(snapshots.size() - 1)).toString();
        List<List<String>> commands = List.of(
                List.of("snapshot", "verify", first),
                List.of("snapshot", "diff", first, last),
                List.of("snapshot", "ls", "--verify", "snapshots"),
                List.of("run", "wine", "-w", first, "--snapshot-dir", "resumed-off-terminal"));
        StringBuilder shown = new StringBuilder(training.stderr());
        for (List<String> command : commands) {
            VelesProcess offTerminal = VelesProcess.run(work, IMMEDIATE, command.toArray(String[]::new));
            assertThat(offTerminal.exitCode()).as(offTerminal.stderr()).isIn(0, DiffCommand.DIFFERENT);
            shown.append(offTerminal.stderr());
            String[] again = command.stream()
                    .map(word -> word.replace("off-terminal", "on-terminal"))
                    .toArray(String[]::new);
            Terminal terminal = onTerminal(work, again);
            assertThat(terminal.exitCode()).as(terminal.screen()).isIn(0, DiffCommand.DIFFERENT);
            shown.append(terminal.screen());
        }
        assertThat(work.resolve("resumed-on-terminal")).isNotEmptyDirectory();
        assertThat(shown.toString())
                .doesNotContain("progress")
                .doesNotContain("MiB")
                .doesNotContain("reading ")
                .doesNotContain("writing ");
    }

    /** What a pseudo-terminal showed while veles ran, and how veles exited. */
    private record Terminal(String screen, int exitCode) {}

    /**
     * Runs veles, with progress shown at once, under a real pseudo-terminal ({@code script}) 120
     * columns wide.
     */
    private static Terminal onTerminal(Path workingDirectory, String... args) throws Exception {
        String command = VelesProcess.commandLine(IMMEDIATE, args).stream()
                .map(ProgressTest::quoted)
                .collect(Collectors.joining(" "));
        // TERM as a terminal emulator sets it; CI may have none.
        ChildProcess.Result script = ChildProcess.of(
                        List.of(requireScript(), "-qfec", "stty cols 120 rows 40; exec " + command, "/dev/null"))
                .in(workingDirectory)
                .with(Map.of("TERM", "xterm", "COLUMNS", "120"))
                .mergeErrors()
                .run();
        return new Terminal(script.output(), script.exitCode());
    }

    private static List<String> progressLines(String stderr, String task) {
        return stderr.lines()
                .filter(line -> line.contains("[INFO] progress - " + task))
                .toList();
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static String requireScript() {
        for (String candidate : List.of("/usr/bin/script", "/bin/script")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String message = "the script tool (bsdutils) is missing; .ci/install-tools installs it";
        return Requirement.skipOrFail("VELES_REQUIRE_TOOLS", message);
    }
}
