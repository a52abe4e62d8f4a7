package io.veles.velesimport;

import java.util.List;

/**
 * A pickled {@code numpy.ndarray}: made empty by {@code numpy.core.multiarray._reconstruct}, then
 * given its state by BUILD: {@code (version, shape, dtype, is_fortran, raw bytes)}. Nothing of
 * NumPy runs; the bytes are kept as pickled.
 */
public final class NumpyArray {
    long[] shape = {0};
    NumpyDtype dtype;
    boolean fortranOrder;
    /**
     * The pickled bytes object: a byte[], or a String (Python 2's str, one char a byte). Several
     * arrays may share one; it is turned into bytes only when written, one array at a time.
     */
    Object raw;
    /** Why the array cannot be exported (object arrays hold a list, not bytes), or null. */
    String unsupported;

    /** BUILD: the pickled state tuple. */
    public void __setstate__(Object[] state) {
        if (state.length != 5 && state.length != 4) {
            unsupported = "an ndarray state of " + state.length + " items";
            return;
        }
        int at = state.length == 5 ? 1 : 0; // version 0 pickles had no version number
        if (state[at] instanceof Object[] && ((Object[]) state[at]).length > MAX_DIMENSIONS) {
            unsupported = "a shape of " + ((Object[]) state[at]).length + " dimensions (NumPy reads at most "
                    + MAX_DIMENSIONS + ")";
            return;
        }
        shape = dimensions(state[at]);
        if (shape == null) {
            unsupported = "a shape that is not a tuple of integers";
            shape = new long[] {0};
            return;
        }
        dtype = state[at + 1] instanceof NumpyDtype ? (NumpyDtype) state[at + 1] : null;
        fortranOrder = Boolean.TRUE.equals(state[at + 2]);
        raw = state[at + 3];
        if (!(raw instanceof byte[]) && !(raw instanceof String)) { // a String: Python 2's str, latin-1 text
            unsupported = raw instanceof List ? "an array of Python objects" : "an ndarray without raw bytes";
        }
        if (dtype == null) {
            unsupported = "an ndarray without a dtype";
        }
    }

    /**
     * NumPy's most dimensions (NPY_MAXDIMS). Arrays sharing one pickled shape of a million
     * dimensions wrote headers NumPy refuses to load, and a copy of the shape each.
     */
    static final int MAX_DIMENSIONS = 64;

    /** The shape's dimensions, or null when an item is not an integer. */
    private static long[] dimensions(Object shape) {
        if (!(shape instanceof Object[])) {
            return new long[] {0};
        }
        Object[] items = (Object[]) shape;
        long[] dimensions = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            if (!(items[i] instanceof Long
                    || items[i] instanceof Integer
                    || items[i] instanceof java.math.BigInteger)) {
                return null;
            }
            dimensions[i] = ((Number) items[i]).longValue();
        }
        return dimensions;
    }

    /** How many bytes the pickle holds for it. */
    int byteLength() {
        return raw instanceof byte[] ? ((byte[]) raw).length : ((String) raw).length();
    }

    /** Its bytes as pickled (shared with other arrays when the pickle shares them: do not change them). */
    byte[] bytes() {
        return raw instanceof byte[]
                ? (byte[]) raw
                : ((String) raw).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The element count its shape gives, or -1 for a shape no array has (a negative or overflowing one). */
    long elements() {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException tooMany) {
                return -1;
            }
        }
        return n;
    }
}
