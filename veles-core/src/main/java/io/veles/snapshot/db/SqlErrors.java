package io.veles.snapshot.db;

import java.sql.SQLException;

/** Drivers' exceptions as one line for our messages. */
final class SqlErrors {
    private SqlErrors() {
    }

    /** The innermost useful message of {@code e}, on one line. */
    static String oneLine(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause.getMessage().isBlank())) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        message = message.replaceAll("\\s*\\R\\s*", " ").strip();
        if (cause instanceof SQLException && ((SQLException) cause).getSQLState() != null) {
            String state = ((SQLException) cause).getSQLState();
            if (!message.contains(state)) {
                message = message + " (SQLSTATE " + state + ")";
            }
        }
        return message;
    }
}
