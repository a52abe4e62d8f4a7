package io.veles.cli;

import io.veles.progress.Progress;
import io.veles.progress.ProgressReporter;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.util.Arrays;

/**
 * Configures SLF4J's simple logger before the first logger exists: messages to stderr with the
 * time, info level by default, warnings only (and no progress) with --quiet, debug with --debug.
 */
final class Logging {
    private static boolean debug;

    private Logging() {}

    static void configure(String[] args) {
        debug = Arrays.asList(args).contains("--debug");
        boolean quiet =
                Arrays.asList(args).contains("--quiet") || Arrays.asList(args).contains("-q");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : quiet ? "warn" : "info");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        // The JDBC drivers' debug lines quote connection URLs whole, passwords included
        // ("Connecting with URL: ...&password=..."): they stay at info, whatever --debug says.
        for (String driver : new String[] {"org.postgresql", "org.mariadb", "org.sqlite"}) {
            setDefault("org.slf4j.simpleLogger.log." + driver, quiet ? "warn" : "info");
        }
        // Drivers that log through java.util.logging (PostgreSQL's) log as the rest does, one line
        // each, instead of in JUL's own two-line format; JUL's level follows ours, so that the
        // bridge is not handed records nobody prints.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("")
                .setLevel(
                        debug
                                ? java.util.logging.Level.FINE
                                : quiet ? java.util.logging.Level.WARNING : java.util.logging.Level.INFO);
    }

    static void debug(boolean on) {
        debug |= on;
    }

    /** Silences progress; the log level was set in configure(), before any logger existed. */
    static void quiet(boolean on) {
        if (on) {
            Progress.use(ProgressReporter.NONE);
        }
    }

    static boolean isDebug() {
        return debug;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
