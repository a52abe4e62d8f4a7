package io.veles.pickle;

/**
 * A numeric array of a saved state that was copied to a spill file as it was read, instead of
 * into the heap: its element type, its length in elements, and where its bytes (little-endian)
 * start in the spill.
 */
public record SpilledArray(Class<?> elementType, long length, long offset) {
    /** Bytes per element. */
    public int width() {
        return ElementWidths.of(elementType);
    }

    /** Its bytes in the spill. */
    public long byteLength() {
        return length * width();
    }

    /** Widths of the primitive element types. */
    public static final class ElementWidths {
        private ElementWidths() {}

        /** Bytes per element of a numeric array of {@code type}. */
        public static int of(Class<?> type) {
            if (type == double.class || type == long.class) {
                return 8;
            }
            if (type == float.class || type == int.class) {
                return 4;
            }
            if (type == short.class || type == char.class) {
                return 2;
            }
            if (type == byte.class || type == boolean.class) {
                return 1;
            }
            throw new IllegalArgumentException("not a primitive type: " + type);
        }
    }
}
