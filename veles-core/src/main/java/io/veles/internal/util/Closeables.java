package io.veles.internal.util;

import java.io.Closeable;
import java.io.IOException;

/** Closing what a failure leaves open. */
public final class Closeables {
    private Closeables() {}

    /**
     * Closes {@code closeable} (if not null) and ignores a failure to close: the failure that
     * made us abandon it is the one to report.
     */
    public static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // the failure being handled matters more than this one
        }
    }
}
