package io.veles.errors;

/**
 * Another live run writes the same prefix in the same directory. Never a reason to go on without
 * snapshots: two runs under one prefix would take each other's snapshot names.
 */
public final class SnapshotLockedException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    public SnapshotLockedException(String message) {
        super(message);
    }
}
