package io.veles.pickle;

/**
 * The engine's way into a {@link Pickleable}'s snapshot hooks, which are protected or
 * package-private so that they stay off the surface of every user object. Applications never
 * call these: the snapshot reader and writer, and the workflow, do.
 */
public final class PickleHooks {
    private PickleHooks() {}

    /** Lets {@code object} fill {@code state}: its {@link Pickleable#getState(State)}. */
    public static void getState(Pickleable object, State state) {
        object.getState(state);
    }

    /** Lets {@code object} read {@code state} back: its {@link Pickleable#setState(State)}. */
    public static void setState(Pickleable object, State state) {
        object.setState(state);
    }

    /** Marks {@code object} as restored from a snapshot, until {@link #endRestoration}. */
    public static void markRestored(Pickleable object) {
        object.markRestored();
    }

    /** Runs {@code object}'s {@link Pickleable#initUnpickled()} unless it already ran. */
    public static void ensureInitUnpickled(Pickleable object) {
        object.ensureInitUnpickled();
    }

    /** Ends {@code object}'s restored phase, once the main workflow is initialised. */
    public static void endRestoration(Pickleable object) {
        object.endRestoration();
    }
}
