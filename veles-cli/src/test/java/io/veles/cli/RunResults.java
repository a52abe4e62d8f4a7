package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The results a {@code veles run --result-file} ends with, and the uninterrupted run that a killed
 * and resumed one must end as: the common start of the kill and resume tests.
 */
final class RunResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunResults() {}

    /** The {@code results} object of the result file {@code file}. */
    static Map<?, ?> read(Path file) throws IOException {
        return (Map<?, ?>) JSON.readValue(file.toFile(), Map.class).get("results");
    }

    /**
     * Runs {@code sample} with {@code workload} from start to end in {@code dir}, its snapshots in
     * {@code whole/} and its result file {@code whole.json}, and returns its results.
     */
    static Map<?, ?> ofUninterruptedRun(Path dir, String sample, String... workload)
            throws IOException, InterruptedException {
        VelesProcess whole = VelesProcess.run(
                dir,
                VelesProcess.concat(
                        new String[] {"run", sample, "--snapshot-dir", "whole", "--result-file", "whole.json"},
                        workload));
        assertThat(whole.exitCode()).as(whole.stderr()).isZero();
        return read(dir.resolve("whole.json"));
    }
}
