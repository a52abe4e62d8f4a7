package io.veles.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints one line for every skipped test, with its reason, where the Maven console shows it.
 * Surefire keeps what tests print in files ({@code redirectTestOutputToFile}), so a test that
 * skipped because a server or tool was missing would show only as a count. The line goes to
 * the JVM's own standard error, which Surefire copies to its console, and not to
 * {@code System.err}, which it redirects. Registered in {@code META-INF/services}, so that it
 * runs in every module whose tests have this module's test jar.
 */
public final class SkipReasons implements TestExecutionListener {
    private static final PrintStream CONSOLE =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void report(TestIdentifier test, String reason) {
        CONSOLE.println("[WARNING] skipped " + name(test) + ": " + reason);
    }

    /** {@code Class.method}, with the case's name for a parameterized one ({@code [1] MARIADB}); or the class. */
    static String name(TestIdentifier test) {
        TestSource source = test.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            String name = simpleName(method.getClassName()) + "." + method.getMethodName();
            return test.getDisplayName().startsWith("[") ? name + " " + test.getDisplayName() : name;
        }
        if (source instanceof ClassSource type) {
            return simpleName(type.getClassName());
        }
        return test.getDisplayName();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
