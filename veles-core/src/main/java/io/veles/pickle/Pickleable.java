package io.veles.pickle;

/**
 * Base of every object whose state a snapshot captures in full, as VELES's
 * {@code distributable.Pickleable}.
 *
 * <p>The rules, in Java terms:
 * <ul>
 *   <li>All instance fields of every class in the hierarchy are captured, whatever their
 *       visibility, except fields whose name ends with {@code _} and fields declared
 *       {@code transient}. Those come back as Java defaults ({@code null}, 0, false).
 *   <li>{@link #initUnpickled()} rebuilds them. It runs exactly once per object before the
 *       object is used: for a unit, before its {@code initialize()}, both when the workflow is new
 *       and after a restore. Constructors are not run on restore, but for a record's: the JDK
 *       lets a record be made only by its canonical constructor (JDK serialization makes it so
 *       too), so a compact constructor that changes its arguments ({@code v = v * 2}) changes
 *       the saved values again; keep it to checks.
 *   <li>{@link #getState(State)} and {@link #setState(State)} customise what is saved and how it
 *       is read back (VELES's {@code __getstate__}/{@code __setstate__}). Overrides call
 *       {@code super} first; a snapshot is refused if they do not, so base state is never lost.
 * </ul>
 */
public abstract class Pickleable {
    private transient boolean restored_;
    private transient boolean unpickledInitDone_;

    /**
     * Rebuilds what a snapshot does not hold: fields ending in {@code _} and transient ones.
     * Overrides call {@code super.initUnpickled()} first.
     */
    protected void initUnpickled() {}

    /**
     * Fills {@code state} with what this object saves. The base implementation adds every
     * captured field; overrides call it first, then add, replace or remove entries.
     */
    protected void getState(State state) {
        state.captureFields(this);
    }

    /**
     * Restores this object from {@code state}. The base implementation assigns the captured
     * fields; overrides call it first, then read the entries they added in {@link #getState}.
     */
    protected void setState(State state) {
        state.restoreFields(this);
    }

    /**
     * True while a restored object is being initialised: for units, from the restore until the
     * main workflow's {@code initialize()} has finished. False for objects created normally.
     */
    public boolean restoredFromSnapshot() {
        return restored_;
    }

    /**
     * Runs {@link #initUnpickled()} unless it already ran for this object. The engine calls it
     * after a restore and before initialising units; a subclass calls it when it needs what
     * {@code initUnpickled()} rebuilds earlier, for example in its constructor.
     */
    protected final void ensureInitUnpickled() {
        if (!unpickledInitDone_) {
            unpickledInitDone_ = true;
            initUnpickled();
        }
    }

    /** Ends the restored phase; the engine calls it once the main workflow is initialised. */
    final void endRestoration() {
        restored_ = false;
    }

    final void markRestored() {
        restored_ = true;
    }
}
