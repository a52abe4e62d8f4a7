package io.veles.cli;

import io.veles.testing.Requirement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's chromium, headless, on a local page: its DOM after the page's scripts ran, what it
 * logged (every console message, blocked requests included, is a {@code :CONSOLE} line on stderr),
 * and screenshots. Missing chromium skips the test, or fails it with {@code VELES_REQUIRE_TOOLS=1}.
 */
final class HeadlessChromium {
    /** What a run printed: the DOM (or nothing, for a screenshot) and chromium's log. */
    record Output(String stdout, String stderr) {
        /** The page's console messages, CSP reports of blocked requests among them. */
        List<String> consoleLines() {
            return stderr.lines().filter(line -> line.contains(":CONSOLE")).toList();
        }
    }

    private final String binary;

    private HeadlessChromium(String binary) {
        this.binary = binary;
    }

    /** The installed chromium, or a skip (a failure on CI) saying how to install it. */
    static HeadlessChromium require() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return new HeadlessChromium(candidate);
            }
        }
        return Requirement.skipOrFail(
                "VELES_REQUIRE_TOOLS",
                "chromium is missing (apt-get install --no-install-recommends chromium; .ci/install-tools installs it)");
    }

    /** The page's DOM once its scripts ran, and the log. */
    Output dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, List.of("--dump-dom"));
    }

    /** A PNG screenshot of the page's first {@code width} x {@code height} pixels. */
    Output screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        return run(
                page,
                List.of(
                        "--hide-scrollbars",
                        "--window-size=" + width + "," + height,
                        "--screenshot=" + png.toAbsolutePath()));
    }

    private Output run(Path page, List<String> action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(
                    binary,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-extensions",
                    "--disable-background-networking",
                    "--user-data-dir=" + profile,
                    "--enable-logging=stderr",
                    "--v=0",
                    // any name the page might ask for resolves nowhere: offline, as the page must work
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                    "--virtual-time-budget=10000"));
            command.addAll(action);
            command.add(page.toAbsolutePath().toUri().toString());
            Process chromium = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
                chromium.destroyForcibly().waitFor();
                throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
            }
            if (chromium.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + chromium.exitValue() + ": " + Files.readString(err));
            }
            return new Output(Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }
}
