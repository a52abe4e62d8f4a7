package io.veles.snapshot;

/**
 * A snapshot could not be written, found or read.
 *
 * <p>The message is meant for the user as it stands: one line that names the cause and the
 * thing concerned (a path, a codec, a unit, a field), with no stack trace needed to act on it.
 * The command line prints it alone; the cause is kept for {@code --debug}.
 */
public class SnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
