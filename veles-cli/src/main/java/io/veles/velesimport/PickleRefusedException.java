package io.veles.velesimport;

import io.veles.errors.SnapshotException;

/** A pickle that asks for something import-veles never does: call a function, or allocate past reason. */
public final class PickleRefusedException extends SnapshotException {
    public PickleRefusedException(String message) {
        super(message);
    }
}
