package io.veles.internal.util;

import java.util.function.Consumer;

/** Doing one thing to each of several objects when one failing must not stop the rest. */
public final class EachOf {
    private EachOf() {}

    /**
     * Applies {@code action} to every item, whatever an earlier item's failure, then throws the
     * first failure with the later ones added to it as suppressed.
     */
    public static <T> void apply(Iterable<? extends T> items, Consumer<? super T> action) {
        RuntimeException failed = null;
        for (T item : items) {
            try {
                action.accept(item);
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
