package io.veles.internal.util;

import java.sql.SQLException;

/** Exceptions as the one line our messages quote. */
public final class Messages {
    private Messages() {}

    /** The message of {@code e} on one line, or its type when it has none. */
    public static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return joinLines(message).strip();
    }

    /**
     * {@code text} with each run of white space that holds a line break made one space, as
     * {@code replaceAll("\\s*\\R\\s*", " ")} did, in one pass: that regex rescanned a run of
     * spaces from each of its characters, quadratic in its length (a message may quote a
     * snapshot's string of megabytes).
     */
    static String joinLines(String text) {
        StringBuilder joined = null;
        int copied = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (!isSpace(c) && !isOtherBreak(c)) {
                i++;
                continue;
            }
            int start = i;
            boolean lineBreak = false;
            while (i < text.length() && isSpace(text.charAt(i))) { // \\s*, greedy
                lineBreak |= text.charAt(i) != ' ' && text.charAt(i) != '\t';
                i++;
            }
            if (i < text.length() && isOtherBreak(text.charAt(i))) {
                i++; // \\R right after the greedy run: a break that is no \\s, then \\s* again
                while (i < text.length() && isSpace(text.charAt(i))) {
                    i++;
                }
            } else if (!lineBreak) {
                i = Math.max(i, start + 1); // no break here: no match starts in this run
                continue;
            }
            if (joined == null) {
                joined = new StringBuilder(text.length());
            }
            joined.append(text, copied, start).append(' ');
            copied = i;
        }
        return joined == null
                ? text
                : joined.append(text, copied, text.length()).toString();
    }

    /** {@code \\s} without Unicode classes: space, tab, and the breaks \\n, \\x0B, \\f, \\r. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** The breaks {@code \\R} matches that {@code \\s} does not. */
    private static boolean isOtherBreak(char c) {
        return c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /**
     * The innermost useful message of {@code e} on one line: wrappers without a message of their
     * own are looked through, and a driver's SQLSTATE is added when the message does not say it.
     */
    public static String innermostOneLine(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null
                && cause.getCause() != cause
                && (cause.getMessage() == null || cause.getMessage().isBlank())) {
            cause = cause.getCause();
        }
        String message = oneLine(cause);
        if (cause instanceof SQLException sql && sql.getSQLState() != null && !message.contains(sql.getSQLState())) {
            message = message + " (SQLSTATE " + sql.getSQLState() + ")";
        }
        return message;
    }
}
