package io.veles.cli;

import io.veles.testing.FreshJvm;
import io.veles.testing.SharedClasses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs {@code veles} as a real child JVM in a working directory, as a user's shell would. */
final class VelesProcess {
    static {
        // Children map an archive of the classes a short wine run with snapshots loads: a quarter
        // less start-up for each of the hundreds of veles processes these tests start.
        SharedClasses.warmUpWith(
                Main.class, "run", "wine", "decision.max_epochs=2", "--snapshot-dir", SharedClasses.SCRATCH);
    }

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private VelesProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static VelesProcess start(Path workingDirectory, String... args) throws IOException {
        return start(workingDirectory, List.of(), args);
    }

    /** Starts veles in a JVM with {@code jvmOptions} (e.g. -Xmx, -D settings). */
    static VelesProcess start(Path workingDirectory, List<String> jvmOptions, String... args) throws IOException {
        return start(workingDirectory, Map.of(), jvmOptions, args);
    }

    /** Starts veles with {@code environment} added to this process's environment variables. */
    static VelesProcess start(
            Path workingDirectory, Map<String, String> environment, List<String> jvmOptions, String... args)
            throws IOException {
        return start(workingDirectory, environment, commandLine(jvmOptions, args));
    }

    /**
     * Starts veles so that {@link #interrupt()} reaches it: a process started in the background of
     * a non-interactive shell (as a CI script may run the build) inherits SIGINT ignored, and the
     * JVM then installs no handler for it. {@code env --default-signal=INT} restores the default.
     */
    static VelesProcess startInterruptible(Path workingDirectory, String... args) throws IOException {
        return startInterruptible(workingDirectory, List.of(), args);
    }

    /** As {@link #startInterruptible(Path, String...)}, in a JVM with {@code jvmOptions}. */
    static VelesProcess startInterruptible(Path workingDirectory, List<String> jvmOptions, String... args)
            throws IOException {
        return startInterruptible(workingDirectory, Map.of(), jvmOptions, args);
    }

    /** As {@link #startInterruptible(Path, String...)}, with {@code environment} added. */
    static VelesProcess startInterruptible(
            Path workingDirectory, Map<String, String> environment, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(commandLine(jvmOptions, args));
        return start(workingDirectory, environment, command);
    }

    private static VelesProcess start(Path workingDirectory, Map<String, String> environment, List<String> command)
            throws IOException {
        Path stdout = Files.createTempFile(workingDirectory, ".stdout", ".txt");
        Path stderr = Files.createTempFile(workingDirectory, ".stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        return new VelesProcess(builder.start(), stdout, stderr);
    }

    /** Runs to the end (at most two minutes) with {@code environment} added. */
    static VelesProcess run(Path workingDirectory, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        VelesProcess veles = start(workingDirectory, environment, List.of(), args);
        veles.waitFor(120);
        return veles;
    }

    /** {@code first} followed by {@code more}: a command line made of a fixed part and a workload. */
    static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    /** The command that runs veles in a JVM with {@code jvmOptions}. */
    static List<String> commandLine(List<String> jvmOptions, String... args) {
        return FreshJvm.command(jvmOptions, Main.class, args);
    }

    /** Runs to the end (at most two minutes) and returns the finished process. */
    static VelesProcess run(Path workingDirectory, String... args) throws IOException, InterruptedException {
        return run(workingDirectory, List.of(), args);
    }

    static VelesProcess run(Path workingDirectory, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        VelesProcess veles = start(workingDirectory, jvmOptions, args);
        veles.waitFor(120);
        return veles;
    }

    void waitFor(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("veles did not finish in " + seconds + " s: " + stderr());
        }
    }

    /** SIGKILL: no shutdown hook, no finally block, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * SIGINT, as Ctrl-C sends it (see {@link #startInterruptible}). False when the process had
     * already ended, so that there was nobody to signal.
     */
    boolean interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (kill.waitFor() == 0) {
            return true;
        }
        if (process.waitFor(10, TimeUnit.SECONDS)) {
            return false;
        }
        throw new AssertionError("kill -INT " + process.pid() + " failed, and the process still runs");
    }

    /**
     * SIGSTOP, and waits until every thread of the JVM has stopped: until {@link #thaw} or
     * {@link #kill}, nothing it does on the file system changes, so that a test can look at what
     * it was doing and kill it in exactly that state.
     */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        for (int i = 0; i < 6000; i++) {
            if (!process.isAlive() || allStopped(tasks)) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("veles did not stop within a minute of SIGSTOP");
    }

    /** SIGCONT: lets a {@link #freeze frozen} process go on. */
    void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** True when every thread's state in /proc is 'T' (stopped by a signal). */
    private static boolean allStopped(Path tasks) throws IOException {
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (NoSuchFileException e) {
                    continue; // the thread ended
                }
                // "tid (name) S …": the name may hold spaces and parentheses, the state follows the last ')'.
                if (stat.charAt(stat.lastIndexOf(')') + 2) != 'T') {
                    return false;
                }
            }
            return true;
        } catch (NoSuchFileException e) {
            return true; // the process ended
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (kill.waitFor() != 0 && process.isAlive()) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed, and the process still runs");
        }
    }

    /** SIGTERM, as a scheduler's preemption sends it. */
    void terminate() {
        process.destroy();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
