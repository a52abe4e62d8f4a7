package io.veles.snapshot.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Exported arrays whose elements are in memory: a Java primitive array, or little-endian bytes. */
public final class MemoryArrays {
    private static final int CHUNK = 1 << 16;

    private MemoryArrays() {}

    /** {@code bytes} (little-endian elements of {@code dtype}) as an array of {@code shape}. */
    public static ExportedArray ofBytes(String name, Dtype dtype, long[] shape, byte[] bytes, int offset, int length) {
        return new ExportedArray(name, dtype, shape, length, out -> out.write(bytes, offset, length));
    }

    /** A Java numeric array (of {@link Dtype#ofJava} a type) as an array of {@code shape}. */
    static ExportedArray ofJava(String name, Object array, long[] shape) {
        Class<?> type = array.getClass().getComponentType();
        Dtype dtype = Dtype.ofJava(type);
        int length = java.lang.reflect.Array.getLength(array);
        long bytes = (long) length * dtype.width();
        return new ExportedArray(name, dtype, shape, bytes, out -> {
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(bytes, 1))];
            int perChunk = chunk.length / dtype.width();
            for (int from = 0; from < length; from += perChunk) {
                int n = Math.min(perChunk, length - from);
                ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
                put(buffer, array, from, n);
                out.write(chunk, 0, n * dtype.width());
            }
        });
    }

    /**
     * A Java numeric array stored row-major as the transpose of {@code shape} (two dimensions): its
     * bytes as they are are the column-major array; the row-major ones are transposed as written.
     */
    static ExportedArray ofJavaTransposed(String name, Object array, long[] shape) {
        ExportedArray stored = ofJava(name, array, shape);
        int width = stored.dtype().width();
        return new ExportedArray(
                name,
                stored.dtype(),
                shape,
                stored.byteLength(),
                out -> {
                    byte[] bytes = new byte[(int) stored.byteLength()];
                    put(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), array, 0, bytes.length / width);
                    TransposedBytes.Source source =
                            (offset, into, at, count) -> System.arraycopy(bytes, (int) offset, into, at, count);
                    new TransposedBytes(source, shape[1], shape[0], width).writeTo(out);
                },
                stored.bytes());
    }

    private static void put(ByteBuffer buffer, Object array, int from, int n) {
        if (array instanceof double[]) {
            buffer.asDoubleBuffer().put((double[]) array, from, n);
        } else if (array instanceof float[]) {
            buffer.asFloatBuffer().put((float[]) array, from, n);
        } else if (array instanceof long[]) {
            buffer.asLongBuffer().put((long[]) array, from, n);
        } else if (array instanceof int[]) {
            buffer.asIntBuffer().put((int[]) array, from, n);
        } else if (array instanceof short[]) {
            buffer.asShortBuffer().put((short[]) array, from, n);
        } else {
            buffer.put((byte[]) array, from, n);
        }
    }
}
