package io.veles.errors;

import io.veles.internal.util.Printable;

/**
 * A snapshot could not be written, found or read.
 *
 * <p>The message is meant for the user as it stands: one line that names the cause and the
 * thing concerned (a path, a codec, a unit, a field), with no stack trace needed to act on it.
 * The command line prints it alone; the cause is kept for {@code --debug}. Messages often quote
 * text read from a snapshot (a class or field name), so control characters are escaped here, once,
 * rather than at every place that builds a message: a hostile name cannot split the line.
 *
 * <p>Subtypes tell a caller what it can do about a failure: {@link CorruptSnapshotException} (the
 * bytes are truncated or damaged: try another snapshot), {@link IncompatibleSnapshotException} (the
 * code changed beyond what the restore rules map: add a rule or restore with the old code) and
 * {@link SnapshotStoreException} (a file system, database or network failed: retry or fix it).
 * Other failures (a refused class, a missing key, a bad argument from the command line) are
 * plain {@code SnapshotException}s.
 */
public class SnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotException(String message) {
        super(printable(message));
    }

    public SnapshotException(String message, Throwable cause) {
        super(printable(message), cause);
    }

    /**
     * The same kind of failure, with a message that says more (where it happened); this exception
     * becomes its cause.
     */
    public SnapshotException reworded(String message) {
        return new SnapshotException(message, this);
    }

    private static String printable(String message) {
        return message == null ? null : Printable.escape(message);
    }
}
