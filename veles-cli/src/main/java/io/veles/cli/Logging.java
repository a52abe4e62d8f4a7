package io.veles.cli;

import io.veles.progress.Progress;
import io.veles.progress.ProgressReporter;

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
