package io.veles.internal.store;

import java.io.IOException;

/**
 * A store could not deliver a snapshot's bytes (a lost connection, a server error): the bytes may
 * be whole, so the reader reports the store, never a corrupt snapshot, and nothing that decides
 * by corruption (prune weighing what is not a snapshot) takes it for one.
 */
public final class StoreReadException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
