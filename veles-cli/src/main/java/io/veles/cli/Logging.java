package io.veles.cli;

import java.util.Arrays;

/**
 * Configures SLF4J's simple logger before the first logger exists: messages to stderr with the
 * time, info level by default, warnings only with --quiet, debug with --debug.
 */
final class Logging {
    private static boolean debug;

    private Logging() {
    }

    static void configure(String[] args) {
        debug = Arrays.asList(args).contains("--debug");
        boolean quiet = Arrays.asList(args).contains("--quiet") || Arrays.asList(args).contains("-q");
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

    static void quiet(boolean on) {
        // applied in configure(), which sees the arguments before any logger is created
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
