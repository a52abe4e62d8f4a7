package io.veles.pickle;

import io.veles.errors.SnapshotException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * What one object saves in a snapshot, by name: its captured fields and whatever its
 * {@link Pickleable#getState(State)} adds. The equivalent of the dictionary that VELES's
 * {@code __getstate__} returns and {@code __setstate__} receives.
 *
 * <p>A captured field is keyed by its name; a field whose name another class of the hierarchy
 * also declares (a subclass's {@code name} shadowing {@link io.veles.workflow.Unit}'s) is keyed
 * {@code Declaring#name}, its declaring class's binary name first ({@code
 * com.acme.Layer#name}), since one name would not tell the two apart. {@link #names()} lists the
 * keys; asking for, putting or removing the plain name of a shadowed field is refused, naming
 * its keys, rather than taken as an entry of its own.
 *
 * <p>A value put under a field's key must be one the field can hold when {@code super.setState}
 * restores it: a getState that saves it in another form has its setState turn it back first.
 */
public abstract class State {
    private final Class<?> ownerType;
    private final LinkedHashMap<String, Object> entries = new LinkedHashMap<>();

    /** For the engine, which creates one per object it saves or restores. */
    protected State(Class<?> ownerType) {
        this.ownerType = ownerType;
    }

    /** The value saved under {@code name}, or null. */
    public final Object get(String name) {
        refuseShadowedName(name);
        return entries.get(name);
    }

    /** The value saved under {@code name}, which must be there and be a {@code type}. */
    public final <T> T get(String name, Class<T> type) {
        refuseShadowedName(name);
        Object value = entries.get(name);
        if (!type.isInstance(value)) {
            throw new SnapshotException("state of " + ownerType.getName() + " has no " + type.getSimpleName()
                    + " entry '" + name + "'"
                    + (value == null ? "" : " (found " + value.getClass().getName() + ")"));
        }
        return type.cast(value);
    }

    public final boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Saves {@code value} under {@code name}, replacing a captured field's value of that name. */
    public final void put(String name, Object value) {
        refuseShadowedName(name);
        entries.put(name, value);
    }

    /** Drops an entry; a removed field comes back as its Java default. */
    public final Object remove(String name) {
        refuseShadowedName(name);
        return entries.remove(name);
    }

    /**
     * Refuses {@code name} when it is no key but the plain name of shadowed fields, keyed
     * {@code Declaring#name}: removing it did nothing, and putting it made an entry no field took.
     */
    private void refuseShadowedName(String name) {
        if (name == null || name.indexOf('#') >= 0 || entries.containsKey(name)) {
            return;
        }
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (String key : entries.keySet()) {
            if (key.endsWith("#" + name)) {
                keys.add(key);
            }
        }
        if (!keys.isEmpty()) {
            throw new IllegalArgumentException("state of " + ownerType.getName() + " has no entry '" + name
                    + "': fields of that name in two classes of its hierarchy are keyed " + String.join(" and ", keys));
        }
    }

    /** The names saved, in order. */
    public final Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** The class of the object this state belongs to. */
    public final Class<?> ownerType() {
        return ownerType;
    }

    /** The entries themselves, for the engine's subclass. */
    protected final LinkedHashMap<String, Object> entries() {
        return entries;
    }

    /** Puts every captured field of {@code owner} in: what {@link Pickleable#getState} does by default. */
    protected abstract void captureFields(Object owner);

    /** Sets every captured field of {@code owner} from here: what {@link Pickleable#setState} does by default. */
    protected abstract void restoreFields(Object owner);
}
