package io.veles.internal.pickle;

import io.veles.internal.util.Primitives;
import sun.misc.Unsafe;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

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

    private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;

    final Field field;
    /** The name the snapshot knows the field by: its name, or Declaring#name when shadowed. */
    final String key;

    final Kind kind;

    /**
     * Where the field lies in its object, for direct reads and writes; -1 where reflection must
     * do (no Unsafe, or a record's or hidden class's field, whose offset the JDK keeps) or should
     * (a volatile field, whose ordered accesses reflection keeps and plain ones would not). Each
     * reflective call goes through an accessor interface and checks its owner and value: a tenth
     * of writing and of reading many small objects (W2's profile).
     */
    private final long offset;

    FieldSlot(Field field, String key) {
        field.setAccessible(true);
        this.field = field;
        this.key = key;
        this.kind = Kind.of(field.getType());
        this.offset = offsetOf(field);
    }

    private static long offsetOf(Field field) {
        if (UNSAFE == null || Modifier.isVolatile(field.getModifiers())) {
            return -1;
        }
        try {
            return UNSAFE.objectFieldOffset(field);
        } catch (UnsupportedOperationException recordOrHidden) {
            return -1;
        }
    }

    /** The declared type's name, as recorded in manifests and shown in reports. */
    String typeName() {
        return field.getType().getTypeName();
    }

    /** The declared type with its type arguments ({@code java.util.List<java.lang.Integer>}), or null when it has none. */
    String genericTypeName() {
        java.lang.reflect.Type generic = field.getGenericType();
        return generic instanceof java.lang.reflect.ParameterizedType ? generic.getTypeName() : null;
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

    /** Whether this field is read and written through its offset rather than reflection. */
    boolean isDirect() {
        return offset >= 0;
    }

    // Typed access for the serializer's hot paths. The owner must be an instance of the class
    // whose schema holds this slot (the schema is looked up by the owner's own class): Unsafe
    // does not check it. Values put into object fields are checked against the declared type.

    boolean getBoolean(Object owner) throws IllegalAccessException {
        return offset >= 0 ? UNSAFE.getBoolean(owner, offset) : field.getBoolean(owner);
    }

    byte getByte(Object owner) throws IllegalAccessException {
        return offset >= 0 ? UNSAFE.getByte(owner, offset) : field.getByte(owner);
    }

    short getShort(Object owner) throws IllegalAccessException {
        return offset >= 0 ? UNSAFE.getShort(owner, offset) : field.getShort(owner);
    }

    char getChar(Object owner) throws IllegalAccessException {
        return offset >= 0 ? UNSAFE.getChar(owner, offset) : field.getChar(owner);
    }

    int getInt(Object owner) throws IllegalAccessException {
        return offset >= 0 ? UNSAFE.getInt(owner, offset) : field.getInt(owner);
    }

    long getLong(Object owner) throws IllegalAccessException {
        return offset >= 0 ? UNSAFE.getLong(owner, offset) : field.getLong(owner);
    }

    float getFloat(Object owner) throws IllegalAccessException {
        return offset >= 0 ? UNSAFE.getFloat(owner, offset) : field.getFloat(owner);
    }

    double getDouble(Object owner) throws IllegalAccessException {
        return offset >= 0 ? UNSAFE.getDouble(owner, offset) : field.getDouble(owner);
    }

    /** The value of an object field read through its offset: only for a slot that {@link #isDirect()}. */
    Object getObjectDirect(Object owner) {
        return UNSAFE.getObject(owner, offset);
    }

    Object getObject(Object owner) throws IllegalAccessException {
        return offset >= 0 ? UNSAFE.getObject(owner, offset) : field.get(owner);
    }

    void setBoolean(Object owner, boolean value) throws IllegalAccessException {
        if (offset >= 0) UNSAFE.putBoolean(owner, offset, value);
        else field.setBoolean(owner, value);
    }

    void setByte(Object owner, byte value) throws IllegalAccessException {
        if (offset >= 0) UNSAFE.putByte(owner, offset, value);
        else field.setByte(owner, value);
    }

    void setShort(Object owner, short value) throws IllegalAccessException {
        if (offset >= 0) UNSAFE.putShort(owner, offset, value);
        else field.setShort(owner, value);
    }

    void setChar(Object owner, char value) throws IllegalAccessException {
        if (offset >= 0) UNSAFE.putChar(owner, offset, value);
        else field.setChar(owner, value);
    }

    void setInt(Object owner, int value) throws IllegalAccessException {
        if (offset >= 0) UNSAFE.putInt(owner, offset, value);
        else field.setInt(owner, value);
    }

    void setLong(Object owner, long value) throws IllegalAccessException {
        if (offset >= 0) UNSAFE.putLong(owner, offset, value);
        else field.setLong(owner, value);
    }

    void setFloat(Object owner, float value) throws IllegalAccessException {
        if (offset >= 0) UNSAFE.putFloat(owner, offset, value);
        else field.setFloat(owner, value);
    }

    void setDouble(Object owner, double value) throws IllegalAccessException {
        if (offset >= 0) UNSAFE.putDouble(owner, offset, value);
        else field.setDouble(owner, value);
    }

    /**
     * Puts {@code value} into an object field. A value the field cannot hold (damaged or forged
     * bytes) goes to reflection, which refuses it with its own message. A plain store, as JDK
     * serialization's, even for a final field: the restored graph is published to other threads
     * only after the restore.
     */
    void setObject(Object owner, Object value) throws IllegalAccessException {
        if (offset >= 0 && (value == null || field.getType().isInstance(value))) {
            UNSAFE.putObject(owner, offset, value);
        } else {
            field.set(owner, value);
        }
    }

    @Override
    public String toString() {
        return field.getDeclaringClass().getSimpleName() + "." + field.getName();
    }
}
