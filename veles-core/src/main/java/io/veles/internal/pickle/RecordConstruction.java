package io.veles.internal.pickle;

import io.veles.errors.SnapshotException;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/** Builds records from field values through their canonical constructor. */
final class RecordConstruction {
    private static final ClassValue<Constructor<?>> CANONICAL = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return constructor;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
            }
        }
    };

    private RecordConstruction() {}

    /** The Java default of {@code type}: null, 0 or false. */
    static Object defaultValue(Class<?> type) {
        return type.isPrimitive() ? Array.get(Array.newInstance(type, 1), 0) : null;
    }

    /** A {@code type} record whose component named like {@code slots[i]} takes {@code values[i]}. */
    static Object construct(Class<?> type, FieldSlot[] slots, Object[] values) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] arguments = new Object[components.length];
        for (int c = 0; c < components.length; c++) {
            arguments[c] = defaultValue(components[c].getType());
            for (int s = 0; s < slots.length; s++) {
                if (slots[s].field.getName().equals(components[c].getName())) {
                    arguments[c] = values[s];
                }
            }
        }
        try {
            return CANONICAL.get(type).newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw new SnapshotException(
                    "cannot restore record " + type.getName() + ": its constructor refused the saved values: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new SnapshotException("cannot restore record " + type.getName() + ": " + e.getMessage(), e);
        }
    }
}
