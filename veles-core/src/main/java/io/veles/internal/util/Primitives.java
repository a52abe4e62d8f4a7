package io.veles.internal.util;

/** The box of each primitive type. */
public final class Primitives {
    private Primitives() {}

    /** {@code type}'s wrapper if it is primitive ({@code int} → {@code Integer}), else itself. */
    public static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) return type;
        if (type == int.class) return Integer.class;
        if (type == long.class) return Long.class;
        if (type == double.class) return Double.class;
        if (type == float.class) return Float.class;
        if (type == boolean.class) return Boolean.class;
        if (type == byte.class) return Byte.class;
        if (type == short.class) return Short.class;
        if (type == char.class) return Character.class;
        return Void.class;
    }
}
