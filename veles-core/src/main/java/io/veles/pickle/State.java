package io.veles.pickle;

import io.veles.snapshot.SnapshotException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one object saves in a snapshot, by name: its captured fields and whatever its
 * {@link Pickleable#getState(State)} adds. The equivalent of the dictionary that VELES's
 * {@code __getstate__} returns and {@code __setstate__} receives.
 */
public final class State {
    private final ClassSchema schema;
    private final LinkedHashMap<String, Object> entries = new LinkedHashMap<>();
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

    State(ClassSchema schema, ValueAdapter adapter) {
        this.schema = schema;
        this.adapter = adapter;
    }

    /** The value saved under {@code name}, or null. */
    public Object get(String name) {
        return entries.get(name);
    }

    /** The value saved under {@code name}, which must be there and be a {@code type}. */
    public <T> T get(String name, Class<T> type) {
        Object value = entries.get(name);
        if (!type.isInstance(value)) {
            throw new SnapshotException("state of " + schema.type.getName() + " has no " + type.getSimpleName()
                    + " entry '" + name + "'" + (value == null ? "" : " (found " + value.getClass().getName() + ")"));
        }
        return type.cast(value);
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Saves {@code value} under {@code name}, replacing a captured field's value of that name. */
    public void put(String name, Object value) {
        entries.put(name, value);
    }

    /** Drops an entry; a removed field comes back as its Java default. */
    public Object remove(String name) {
        return entries.remove(name);
    }

    /** The names saved, in order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    Map<String, Object> entries() {
        return entries;
    }

    boolean fieldsCaptured() {
        return fieldsCaptured;
    }

    boolean fieldsRestored() {
        return fieldsRestored;
    }

    void captureFields(Object owner) {
        checkOwner(owner);
        for (FieldSlot slot : schema.slots) {
            entries.put(slot.key, slot.get(owner));
        }
        fieldsCaptured = true;
    }

    void restoreFields(Object owner) {
        checkOwner(owner);
        for (FieldSlot slot : schema.slots) {
            if (!entries.containsKey(slot.key)) {
                continue; // a field added since the snapshot (reported up front): keeps its default
            }
            Object value = entries.get(slot.key);
            if (value == null && slot.kind != FieldSlot.Kind.OBJECT) {
                continue; // an entry removed by getState: the primitive keeps its default
            }
            slot.set(owner, adapter.adapt(slot, value));
        }
        fieldsRestored = true;
    }

    private void checkOwner(Object owner) {
        if (owner.getClass() != schema.type) {
            throw new IllegalStateException("state of " + schema.type.getName() + " used for " + owner.getClass().getName());
        }
    }
}
