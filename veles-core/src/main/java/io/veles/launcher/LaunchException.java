package io.veles.launcher;

/** The launcher cannot start or finish a run; the message is one line for the user. */
public class LaunchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
