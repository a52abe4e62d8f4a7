package io.veles.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a command (a tool, or a JVM through {@link FreshJvm#command}) to its end, as the tests'
 * one way to do so: its output goes to files, which never fill up and block it as a pipe
 * nobody reads would, and a child that outlives its timeout is killed and fails the test.
 */
public final class ChildProcess {
    private final List<String> command;
    private Path directory;
    private Path stdin;
    private final Map<String, String> environment = new HashMap<>();
    private Predicate<String> removed = name -> false;
    private Duration timeout = Duration.ofMinutes(2);
    private boolean mergeErrors;

    private ChildProcess(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** What the child printed, and how it ended. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        /** Standard output as text. */
        public String output() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    public static ChildProcess of(List<String> command) {
        return new ChildProcess(command);
    }

    /** Runs it in {@code workingDirectory} instead of this process's. */
    public ChildProcess in(Path workingDirectory) {
        this.directory = workingDirectory;
        return this;
    }

    /** Adds {@code variables} to the environment it inherits. */
    public ChildProcess with(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    /** Leaves out of the environment it inherits the variables whose names {@code names} accepts. */
    public ChildProcess without(Predicate<String> names) {
        this.removed = removed.or(names);
        return this;
    }

    /** Feeds it {@code file} as standard input (otherwise it reads an empty one). */
    public ChildProcess input(Path file) {
        this.stdin = file;
        return this;
    }

    /** Sends its standard error into its standard output, in the order it printed them. */
    public ChildProcess mergeErrors() {
        this.mergeErrors = true;
        return this;
    }

    /** How long it may take (two minutes unless set). */
    public ChildProcess timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Runs it to its end; a child still running after the timeout is killed, and an AssertionError says so. */
    public Result run() throws IOException, InterruptedException {
        Path out = Files.createTempFile("child", ".out");
        Path err = Files.createTempFile("child", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile());
            if (mergeErrors) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(err.toFile());
            }
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().keySet().removeIf(removed);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (stdin == null) {
                process.getOutputStream().close(); // an empty standard input, not one that never ends
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new AssertionError(
                        command.get(0) + " did not end in " + timeout.toSeconds() + " s: " + text(err) + text(out));
            }
            return new Result(process.exitValue(), Files.readAllBytes(out), text(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
