package io.veles.internal.pickle;

import io.veles.pickle.FormerName;
import io.veles.pickle.Pickleable;
import io.veles.pickle.State;
import io.veles.snapshot.format.ClassDescription;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The captured fields of a class, superclass fields first: every instance field of the hierarchy
 * except transient ones and those whose name ends with {@code _}. Computed once per class.
 */
final class ClassSchema {
    private static final ClassValue<ClassSchema> CACHE = new ClassValue<>() {
        @Override
        protected ClassSchema computeValue(Class<?> type) {
            return new ClassSchema(type);
        }
    };

    final Class<?> type;
    final FieldSlot[] slots;
    /**
     * The object fields whose values Kryo numbers by identity, as far as their declared types
     * tell (not boxed values, enums or units), and that are read without reflection: the fields
     * whose identity lookups the writer starts early, where reading a field twice is cheap.
     */
    final FieldSlot[] earlyLookups;
    /** True if a class in the hierarchy customises getState or setState. */
    final boolean customState;
    /** The fields whose declared types have type arguments, by key, with those types (for the manifest). */
    final Map<String, String> genericFields;

    private final Map<String, FieldSlot> byKey;
    /** The fields claiming each former name: several where fields of one name were shadowed. */
    private final Map<String, List<FieldSlot>> byFormerName = new HashMap<>();

    static ClassSchema of(Class<?> type) {
        return CACHE.get(type);
    }

    /** How the manifest records this class. */
    ClassDescription describe() {
        List<ClassDescription.FieldDescription> fields = new ArrayList<>(slots.length);
        for (FieldSlot slot : slots) {
            fields.add(new ClassDescription.FieldDescription(slot.key, slot.typeName()));
        }
        return new ClassDescription(type.getName(), customState, List.copyOf(fields));
    }

    /** True if a field with this name and modifiers belongs in a snapshot. */
    static boolean isCaptured(Field field) {
        int modifiers = field.getModifiers();
        return !Modifier.isStatic(modifiers)
                && !Modifier.isTransient(modifiers)
                && !field.getName().endsWith("_");
    }

    private ClassSchema(Class<?> type) {
        this.type = type;
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(c);
        }
        Collections.reverse(hierarchy);
        List<Field> fields = new ArrayList<>();
        Map<String, Integer> nameCounts = new HashMap<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                if (isCaptured(field)) {
                    fields.add(field);
                    nameCounts.merge(field.getName(), 1, Integer::sum);
                }
            }
        }
        slots = new FieldSlot[fields.size()];
        byKey = new LinkedHashMap<>();
        for (int i = 0; i < slots.length; i++) {
            Field field = fields.get(i);
            String key = nameCounts.get(field.getName()) == 1
                    ? field.getName()
                    : field.getDeclaringClass().getName() + "#" + field.getName();
            slots[i] = new FieldSlot(field, key);
            byKey.put(key, slots[i]);
            FormerName former = field.getAnnotation(FormerName.class);
            if (former != null) {
                for (String name : former.value()) {
                    byFormerName.computeIfAbsent(name, n -> new ArrayList<>(1)).add(slots[i]);
                }
            }
        }
        earlyLookups = Arrays.stream(slots)
                .filter(slot -> slot.kind == FieldSlot.Kind.OBJECT
                        && slot.isDirect()
                        && SnapshotKryo.UnitsByNumber.tracks(slot.field.getType()))
                .toArray(FieldSlot[]::new);
        customState = Pickleable.class.isAssignableFrom(type) && overridesStateHooks(hierarchy);
        Map<String, String> generic = new LinkedHashMap<>();
        for (FieldSlot slot : slots) {
            String name = slot.genericTypeName();
            if (name != null) {
                generic.put(slot.key, name);
            }
        }
        genericFields = Collections.unmodifiableMap(generic);
    }

    FieldSlot slot(String key) {
        return byKey.get(key);
    }

    /**
     * The field that a {@link FormerName} says was once recorded under {@code recordedKey}, or null.
     * A shadowed key ({@code Declaring#name}) is claimed by the field its class (today's name,
     * through {@code currentDeclaring}) declares, or by a former name spelled as that key; a
     * plain name by the one field claiming it, and two claiming it are refused as ambiguous.
     */
    FieldSlot formerlyNamed(String recordedKey, java.util.function.UnaryOperator<String> currentDeclaring) {
        List<FieldSlot> exact = claimsOf(recordedKey, currentDeclaring);
        if (exact.isEmpty()) {
            return null;
        }
        if (exact.size() > 1) {
            throw new io.veles.errors.IncompatibleSnapshotException("cannot restore " + type.getName() + ": fields "
                    + exact.stream()
                            .map(slot -> slot.field.getDeclaringClass().getName() + "." + slot.field.getName())
                            .collect(java.util.stream.Collectors.joining(" and "))
                    + " both claim the snapshot's field " + recordedKey
                    + " by @FormerName; keep the name on one of them");
        }
        return exact.get(0);
    }

    /** The fields whose {@link FormerName} claims {@code recordedKey} (see {@link #formerlyNamed}). */
    List<FieldSlot> claimsOf(String recordedKey, java.util.function.UnaryOperator<String> currentDeclaring) {
        List<FieldSlot> exact = byFormerName.get(recordedKey);
        int hash = recordedKey.indexOf('#');
        if (hash >= 0 && exact == null) {
            String declaring = currentDeclaring.apply(recordedKey.substring(0, hash));
            List<FieldSlot> named = byFormerName.getOrDefault(recordedKey.substring(hash + 1), List.of());
            exact = named.stream()
                    .filter(slot -> slot.field.getDeclaringClass().getName().equals(declaring))
                    .collect(java.util.stream.Collectors.toList());
        }
        return exact == null ? List.of() : exact;
    }

    private static boolean overridesStateHooks(List<Class<?>> hierarchy) {
        for (Class<?> c : hierarchy) {
            if (c == Pickleable.class) {
                continue;
            }
            for (String hook : new String[] {"getState", "setState"}) {
                try {
                    c.getDeclaredMethod(hook, State.class);
                    return true;
                } catch (NoSuchMethodException notHere) {
                    // keep looking up the hierarchy
                }
            }
        }
        return false;
    }
}
