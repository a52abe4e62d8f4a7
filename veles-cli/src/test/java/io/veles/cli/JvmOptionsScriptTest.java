package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/jvm-options}, which picks the collector {@code ./veles} runs with: the parallel one,
 * unless the user's options name a collector. Whatever the user names, the JVM must start (two
 * collectors are an error at start-up), with the collector the user asked for.
 */
class JvmOptionsScriptTest {
    /** The repository's root: tests run in the module's directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @ParameterizedTest(name = "{0}=''{1}'' runs {2}")
    @CsvSource({
        "VELES_JAVA_OPTS, '', Parallel",
        "VELES_JAVA_OPTS, -Xmx512m, Parallel",
        "VELES_JAVA_OPTS, -XX:ParallelGCThreads=1, Parallel",
        "VELES_JAVA_OPTS, -Xmx512m -XX:+UseG1GC, G1",
        "VELES_JAVA_OPTS, -XX:+UseSerialGC -Xmx512m, Serial",
        "VELES_JAVA_OPTS, -XX:+UseZGC, The Z Garbage Collector",
        "JAVA_TOOL_OPTIONS, -XX:+UseG1GC, G1",
        "JDK_JAVA_OPTIONS, -XX:+UseSerialGC, Serial",
    })
    void theJvmStartsWithTheCollectorTheUserNamedOrTheParallelOne(String variable, String value, String collector)
            throws Exception {
        Map<String, String> environment = Map.of(variable, value);
        List<String> options = run(
                        environment, List.of(ROOT.resolve("bin/jvm-options").toString()))
                .lines()
                .filter(line -> !line.isBlank())
                .toList();

        // As ./veles runs java: our options first, then VELES_JAVA_OPTS (the other two java reads itself).
        List<String> java = new ArrayList<>(List.of("java"));
        java.addAll(options);
        if (variable.equals("VELES_JAVA_OPTS") && !value.isBlank()) {
            java.addAll(Arrays.asList(value.split(" ")));
        }
        java.addAll(List.of("-Xlog:gc:stdout", "-version"));
        assertThat(run(environment, java)).contains("Using " + collector);
    }

    /** Runs {@code command} to its end with {@code environment} added; its output, or a failure naming its exit. */
    private static String run(Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("jvm-options", ".txt");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment()
                    .keySet()
                    .removeAll(List.of("VELES_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("%s ends", command)
                    .isTrue();
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue())
                    .as("%s exits with 0; it said:%n%s", command, text)
                    .isZero();
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
