package io.veles.snapshot.export;

/** Element types an array is exported as, little-endian, with their NumPy and safetensors names. */
public enum Dtype {
    F64("<f8", "F64", 8),
    F32("<f4", "F32", 4),
    I64("<i8", "I64", 8),
    I32("<i4", "I32", 4),
    I16("<i2", "I16", 2),
    I8("|i1", "I8", 1),
    F16("<f2", "F16", 2),
    U64("<u8", "U64", 8),
    U32("<u4", "U32", 4),
    U16("<u2", "U16", 2),
    U8("|u1", "U8", 1),
    BOOL("|b1", "BOOL", 1);

    private final String numpy;
    private final String safetensors;
    private final int width;

    Dtype(String numpy, String safetensors, int width) {
        this.numpy = numpy;
        this.safetensors = safetensors;
        this.width = width;
    }

    /** NumPy's {@code descr}, as an npy header holds it. */
    public String numpy() {
        return numpy;
    }

    /** The safetensors header's {@code dtype}. */
    public String safetensors() {
        return safetensors;
    }

    public int width() {
        return width;
    }

    /** The type a Java array of {@code elementType} is exported as, or null when it is not numeric. */
    public static Dtype ofJava(Class<?> elementType) {
        if (elementType == double.class) {
            return F64;
        }
        if (elementType == float.class) {
            return F32;
        }
        if (elementType == long.class) {
            return I64;
        }
        if (elementType == int.class) {
            return I32;
        }
        if (elementType == short.class) {
            return I16;
        }
        if (elementType == byte.class) {
            return I8;
        }
        return null;
    }
}
