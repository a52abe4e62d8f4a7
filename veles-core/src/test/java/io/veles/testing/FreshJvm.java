package io.veles.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs a main class of the tests in a child JVM, which has loaded and initialised nothing yet. */
public final class FreshJvm {
    /**
     * Options that make a short-lived child JVM start and run sooner: the C1 compiler only (C2's
     * compile threads compete for the test machine's few cores longer than the child lives) and
     * the serial collector (no GC threads to start). Measured on 2 loaded cores: veles --help
     * 1.22 s to 0.61 s, a one-iteration run 3.3 s to 2.3 s, a 120-epoch wine training 12.3 s to
     * 7.2 s. They change no behaviour a test checks; a child given a heap limit keeps the JVM's
     * default collector and compilers, since what it tests is how that heap behaves.
     */
    public static final List<String> QUICK_START =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");

    private FreshJvm() {}

    /** {@link #QUICK_START}, unless {@code jvmOptions} set the heap or JVM tuning themselves. */
    private static List<String> quickStart(List<String> jvmOptions) {
        boolean tuned = jvmOptions.stream().anyMatch(option -> option.startsWith("-Xm") || option.startsWith("-XX:"));
        return tuned ? List.of() : QUICK_START;
    }

    /**
     * Runs {@code main} with {@code args} on the tests' class path, {@code classPathFirst} ahead of
     * it unless null, and returns everything it printed (stdout and stderr).
     */
    public static List<String> run(List<String> jvmOptions, String classPathFirst, Class<?> main, String... args)
            throws IOException, InterruptedException {
        String classPath = System.getProperty("java.class.path");
        List<String> command = command(
                jvmOptions,
                classPathFirst == null ? classPath : classPathFirst + File.pathSeparator + classPath,
                main,
                args);
        return ChildProcess.of(command).mergeErrors().run().output().lines().toList();
    }

    /**
     * The command line that runs {@code main} with {@code args} in a child JVM on the tests' class
     * path, for a caller that needs its own environment, redirects or timeout.
     */
    public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        return command(jvmOptions, System.getProperty("java.class.path"), main, args);
    }

    private static List<String> command(List<String> jvmOptions, String classPath, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        List<String> quick = quickStart(jvmOptions);
        command.addAll(quick);
        String path = classPath;
        if (!quick.isEmpty() && classPath.equals(System.getProperty("java.class.path"))) {
            // A child that is tuned or given its own class path loads its classes itself.
            Optional<SharedClasses.Launch> shared = SharedClasses.forMain(main, java(), quick);
            if (shared.isPresent()) {
                command.addAll(shared.get().options());
                path = shared.get().classPath();
            }
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(path);
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** The tests' class path without the jars whose file names start with one of {@code jarNames}. */
    public static String classPathWithout(String... jarNames) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Arrays.stream(jarNames)
                        .noneMatch(
                                name -> Path.of(entry).getFileName().toString().startsWith(name)))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Starts {@code main} on {@code classPath} in {@code workingDirectory}, its output (stdout and
     * stderr) going to a file there. SIGINT reaches it: a child of a non-interactive shell's
     * background job inherits SIGINT ignored, and {@code env --default-signal=INT} undoes that.
     */
    public static Running start(Path workingDirectory, String classPath, Class<?> main, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", java()));
        command.addAll(QUICK_START);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(workingDirectory, ".output", ".txt");
        Process process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new Running(process, output);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A child JVM that {@link #start} started. */
    public static final class Running {
        private final Process process;
        private final Path output;

        private Running(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        /** Everything it printed so far. */
        public String output() {
            try {
                return Files.readString(output);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Waits up to a minute for {@code text} in its output; false if it never came. */
        public boolean awaitOutput(String text) throws InterruptedException {
            for (int i = 0; i < 2400 && !output().contains(text); i++) {
                if (!process.isAlive()) {
                    return output().contains(text);
                }
                Thread.sleep(25);
            }
            return output().contains(text);
        }

        /** Sends it a signal by name ({@code INT}, {@code TERM}). */
        public void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        }

        /** Waits up to {@code seconds} for it to end and returns its exit code; kills it if it does not end. */
        public int waitFor(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new AssertionError("the child JVM did not end in " + seconds + " s; it printed: " + output());
            }
            return process.exitValue();
        }
    }
}
