package io.veles.internal.pickle;

import io.veles.internal.util.Primitives;

import java.lang.reflect.Field;

/** One captured field of a class: how to read, write and name it. */
final class FieldSlot {
    /** How a field's value is encoded: primitives raw, everything else as a tagged object. */
    enum Kind {
        BOOLEAN,
        BYTE,
        SHORT,
        CHAR,
        INT,
        LONG,
        FLOAT,
        DOUBLE,
        OBJECT;

        static Kind of(Class<?> type) {
            if (!type.isPrimitive()) return OBJECT;
            if (type == boolean.class) return BOOLEAN;
            if (type == byte.class) return BYTE;
            if (type == short.class) return SHORT;
            if (type == char.class) return CHAR;
            if (type == int.class) return INT;
            if (type == long.class) return LONG;
            if (type == float.class) return FLOAT;
            return DOUBLE;
        }

        /** The class that values of this kind are boxed in (Object for objects). */
        static Class<?> boxOf(Kind kind) {
            for (Class<?> primitive : new Class<?>[] {
                boolean.class, byte.class, short.class, char.class, int.class, long.class, float.class, double.class
            }) {
                if (of(primitive) == kind) {
                    return Primitives.box(primitive);
                }
            }
            return Object.class;
        }

        /** The kind for a type name as recorded in a manifest. */
        static Kind ofTypeName(String name) {
            switch (name) {
                case "boolean":
                    return BOOLEAN;
                case "byte":
                    return BYTE;
                case "short":
                    return SHORT;
                case "char":
                    return CHAR;
                case "int":
                    return INT;
                case "long":
                    return LONG;
                case "float":
                    return FLOAT;
                case "double":
                    return DOUBLE;
                default:
                    return OBJECT;
            }
        }
    }

    final Field field;
    /** The name the snapshot knows the field by: its name, or Declaring#name when shadowed. */
    final String key;

    final Kind kind;

    FieldSlot(Field field, String key) {
        field.setAccessible(true);
        this.field = field;
        this.key = key;
        this.kind = Kind.of(field.getType());
    }

    /** The declared type's name, as recorded in manifests and shown in reports. */
    String typeName() {
        return field.getType().getTypeName();
    }

    Object get(Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + this, e);
        }
    }

    void set(Object owner, Object value) {
        try {
            field.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot write " + this, e);
        }
    }

    @Override
    public String toString() {
        return field.getDeclaringClass().getSimpleName() + "." + field.getName();
    }
}
