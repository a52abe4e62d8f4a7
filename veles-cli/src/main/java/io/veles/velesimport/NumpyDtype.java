package io.veles.velesimport;

import io.veles.snapshot.export.Dtype;

import java.util.Locale;

/**
 * A pickled {@code numpy.dtype}: built from its code ({@code numpy.dtype('f4', False, True)}),
 * then given its state ({@code (3, '<', None, None, None, -1, -1, 0)}), whose second item is the
 * byte order. Only plain numeric types are understood; structured and object types are not.
 */
public final class NumpyDtype {
    private final String code;
    private String byteOrder = "=";
    private boolean structured;

    NumpyDtype(String code) {
        this.code = code;
    }

    /** BUILD: the pickled state tuple. */
    public void __setstate__(Object[] state) {
        if (state.length > 1 && state[1] instanceof String) {
            byteOrder = (String) state[1];
        }
        structured = state.length > 3 && state[3] != null; // names of a structured dtype's fields
    }

    /** The code with its byte order, as NumPy prints it: {@code <f4}. */
    @Override
    public String toString() {
        return byteOrder + code;
    }

    boolean bigEndian() {
        return ">".equals(byteOrder);
    }

    /** Bytes per element, or -1 when the code does not say. */
    int width() {
        try {
            return Integer.parseInt(code.substring(1));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The exported type, or null for types export does not write (objects, strings, structures). */
    Dtype exported() {
        if (structured) {
            return null;
        }
        switch (code.toLowerCase(Locale.ROOT)) {
            case "f8":
                return Dtype.F64;
            case "f4":
                return Dtype.F32;
            case "f2":
                return Dtype.F16;
            case "i8":
                return Dtype.I64;
            case "i4":
                return Dtype.I32;
            case "i2":
                return Dtype.I16;
            case "i1":
                return Dtype.I8;
            case "u8":
                return Dtype.U64;
            case "u4":
                return Dtype.U32;
            case "u2":
                return Dtype.U16;
            case "u1":
                return Dtype.U8;
            case "b1":
                return Dtype.BOOL;
            default:
                return null;
        }
    }
}
