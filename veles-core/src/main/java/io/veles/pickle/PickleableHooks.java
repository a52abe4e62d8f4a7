package io.veles.pickle;

/**
 * The engine's entry to the lifecycle hooks of {@link Pickleable}. For engine use only: not an
 * API, and may change in any release.
 *
 * <p>The hooks are not public on {@code Pickleable} so that they do not appear on every user unit;
 * the engine (workflow, snapshot reader) sits in other packages, so it reaches them here.
 */
public final class PickleableHooks {
    private PickleableHooks() {
    }

    /** Runs {@code object}'s {@code initUnpickled()} unless it already ran. */
    public static void ensureInitUnpickled(Pickleable object) {
        object.ensureInitUnpickled();
    }

    /** Marks {@code object} as restored from a snapshot, until {@link #endRestoration}. */
    public static void markRestored(Pickleable object) {
        object.markRestored();
    }

    /** Ends the restored phase of {@code object}: it no longer reports being restored. */
    public static void endRestoration(Pickleable object) {
        object.endRestoration();
    }
}
