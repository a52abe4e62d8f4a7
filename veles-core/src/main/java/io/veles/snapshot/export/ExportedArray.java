package io.veles.snapshot.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * One array to export: its name ({@code unit.field}), element type, shape, and a way to write its
 * little-endian bytes in row-major (C) order. The bytes come from a spill file or from memory;
 * writers never hold a whole array.
 * <p>
 * An array stored as the transpose of its shape ({@link io.veles.workflow.ArrayShape#storedTransposed})
 * also has {@code columnMajor}: the same values in column-major (Fortran) order, which are the
 * stored bytes as they are. Formats that can say so (npy's {@code fortran_order}) write those and
 * move no data; {@code bytes} then transposes as it writes. Null for other arrays.
 */
public record ExportedArray(String name, Dtype dtype, long[] shape, long byteLength, Bytes bytes, Bytes columnMajor) {
    /** An array whose bytes are row-major only. */
    public ExportedArray(String name, Dtype dtype, long[] shape, long byteLength, Bytes bytes) {
        this(name, dtype, shape, byteLength, bytes, null);
    }

    /** Writes an array's bytes, a buffer at a time. */
    @FunctionalInterface
    public interface Bytes {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Elements: the product of the shape. */
    public long elements() {
        return byteLength / dtype.width();
    }

    /** The shape as NumPy prints it: {@code (3, 4)}, {@code (5,)}. */
    public String shapeText() {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return "("
                + String.join(
                        ", ", Arrays.stream(shape).mapToObj(Long::toString).toArray(String[]::new)) + ")";
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeText();
    }
}
