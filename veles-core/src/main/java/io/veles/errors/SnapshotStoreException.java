package io.veles.errors;

/**
 * Where snapshots are kept failed: a file system, a database or a network. The snapshot itself
 * may be fine; retrying, or fixing the store (permissions, space, credentials, a server), may help.
 */
public class SnapshotStoreException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    public SnapshotStoreException(String message) {
        super(message);
    }

    public SnapshotStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public SnapshotStoreException reworded(String message) {
        return new SnapshotStoreException(message, this);
    }
}
