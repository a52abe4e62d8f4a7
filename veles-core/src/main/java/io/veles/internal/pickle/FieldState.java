package io.veles.internal.pickle;

import io.veles.pickle.State;

import java.util.Map;

/**
 * The engine's {@link State}: it knows the owner's captured fields, so the default
 * {@code getState}/{@code setState} can copy them, and it remembers whether they did, so that an
 * override that forgot to call {@code super} is caught.
 */
final class FieldState extends State {
    private final ClassSchema schema;
    private final ValueAdapter adapter;
    private boolean fieldsCaptured;
    private boolean fieldsRestored;

    /**
     * Gives the value a field takes: the saved one, or its conversion; refuses, with a
     * SnapshotException naming the field, a value the field cannot hold.
     */
    interface ValueAdapter {
        Object adapt(FieldSlot slot, Object value);
    }

    FieldState(ClassSchema schema, ValueAdapter adapter) {
        super(schema.type);
        this.schema = schema;
        this.adapter = adapter;
    }

    Map<String, Object> values() {
        return entries();
    }

    boolean fieldsCaptured() {
        return fieldsCaptured;
    }

    boolean fieldsRestored() {
        return fieldsRestored;
    }

    @Override
    protected void captureFields(Object owner) {
        checkOwner(owner);
        for (FieldSlot slot : schema.slots) {
            entries().put(slot.key, slot.get(owner));
        }
        fieldsCaptured = true;
    }

    @Override
    protected void restoreFields(Object owner) {
        checkOwner(owner);
        for (FieldSlot slot : schema.slots) {
            if (!entries().containsKey(slot.key)) {
                continue; // a field added since the snapshot (reported up front): keeps its default
            }
            Object value = entries().get(slot.key);
            if (value == null && slot.kind != FieldSlot.Kind.OBJECT) {
                // an entry a getState or setState set to null: the primitive keeps its default (a
                // null read from the payload for a primitive was refused as it was read)
                continue;
            }
            try {
                slot.set(owner, adapter.adapt(slot, value));
            } catch (io.veles.errors.IncompatibleSnapshotException e) {
                if (!schema.customState) {
                    throw e;
                }
                // the code may not have changed at all: a getState may have saved the value in another form
                throw e.reworded(e.getMessage() + "; or, if " + schema.type.getSimpleName()
                        + ".getState put that value there, have setState turn it back before super.setState(state)");
            }
        }
        fieldsRestored = true;
    }

    /** Runs the default field restore for an object whose class does not customise its state. */
    void restoreInto(Object owner) {
        restoreFields(owner);
    }

    private void checkOwner(Object owner) {
        if (owner.getClass() != schema.type) {
            throw new IllegalStateException("state of " + schema.type.getName() + " used for "
                    + owner.getClass().getName());
        }
    }
}
