package io.veles.testing;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the tests in a child JVM, which has loaded and initialised nothing yet. */
public final class FreshJvm {
    private FreshJvm() {
    }

    /**
     * Runs {@code main} with {@code args} on the tests' class path, {@code classPathFirst} ahead of
     * it unless null, and returns everything it printed (stdout and stderr).
     */
    public static List<String> run(List<String> jvmOptions, String classPathFirst, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        String classPath = System.getProperty("java.class.path");
        command.add("-cp");
        command.add(classPathFirst == null ? classPath : classPathFirst + File.pathSeparator + classPath);
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes(); // read before waiting: a full pipe would block it
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child JVM " + main.getName() + " did not end");
        }
        return new String(output).lines().toList();
    }
}
