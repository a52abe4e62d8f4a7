package io.veles.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script of the test resources with Debian's /usr/bin/python3 (and its python3-numpy,
 * which .ci/install-tools installs), the independent reader of what export and import-veles write.
 */
final class PythonCheck {
    static final String PYTHON = "/usr/bin/python3";

    private PythonCheck() {}

    /**
     * Skips the test, saying why, when Debian's Python with NumPy is missing; with
     * {@code VELES_REQUIRE_TOOLS=1} (CI, whose .ci/install-tools installs it) fails it instead.
     */
    static void requireNumpy() throws Exception {
        boolean present = Files.isExecutable(Path.of(PYTHON))
                && new ProcessBuilder(PYTHON, "-c", "import numpy")
                                .redirectErrorStream(true)
                                .start()
                                .waitFor()
                        == 0;
        String message = "needs /usr/bin/python3 with python3-numpy (.ci/install-tools installs it)";
        if (!present && "1".equals(System.getenv("VELES_REQUIRE_TOOLS"))) {
            throw new AssertionError(message + "; VELES_REQUIRE_TOOLS=1 makes that a failure");
        }
        if (!present) {
            System.err.println("skipped: " + message);
        }
        Assumptions.assumeTrue(present, message);
    }

    /** Runs {@code script} (a resource beside this class) with {@code args} in {@code dir}; returns its output. */
    static Result run(Path dir, String script, String... args) throws IOException, InterruptedException {
        Path file = dir.resolve(script);
        try (InputStream in = PythonCheck.class.getResourceAsStream(script)) {
            Files.write(file, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, file.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output) {}
}
