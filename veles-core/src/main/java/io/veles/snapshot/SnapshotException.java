package io.veles.snapshot;

import io.veles.util.Printable;

/**
 * A snapshot could not be written, found or read.
 *
 * <p>The message is meant for the user as it stands: one line that names the cause and the
 * thing concerned (a path, a codec, a unit, a field), with no stack trace needed to act on it.
 * The command line prints it alone; the cause is kept for {@code --debug}. Messages often quote
 * text read from a snapshot (a class or field name), so control characters are escaped here, once,
 * rather than at every place that builds a message: a hostile name cannot split the line.
 */
public class SnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotException(String message) {
        super(oneLine(message));
    }

    public SnapshotException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? null : Printable.escape(message);
    }
}
