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
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
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
