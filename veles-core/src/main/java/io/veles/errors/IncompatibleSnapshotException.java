package io.veles.errors;

/**
 * A snapshot is whole, but the code changed beyond what the restore rules map: a class it names
 * no longer exists, or a field's type changed without a conversion. A rule
 * ({@code RestoreRules}) or the code the snapshot was taken with restores it.
 */
public class IncompatibleSnapshotException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSnapshotException(String message) {
        super(message);
    }

    public IncompatibleSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public IncompatibleSnapshotException reworded(String message) {
        return new IncompatibleSnapshotException(message, this);
    }
}
