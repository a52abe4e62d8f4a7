package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.veles.pickle.ArraySpill;
import io.veles.pickle.SpilledArray;

/**
 * Reads numeric arrays as {@link PrimitiveArraySerializers} wrote them, but copies their bytes to
 * an {@link ArraySpill} a buffer at a time instead of allocating them: a state of many GiB reads
 * in a small heap. Only {@link SavedGraph} uses these, never a restore.
 */
final class SpillingArraySerializers {
    private SpillingArraySerializers() {}

    static void register(Kryo kryo, ArraySpill spill) {
        kryo.addDefaultSerializer(float[].class, new Spilling(spill, float.class, "a float array"));
        kryo.addDefaultSerializer(double[].class, new Spilling(spill, double.class, "a double array"));
        kryo.addDefaultSerializer(int[].class, new Spilling(spill, int.class, "an int array"));
        kryo.addDefaultSerializer(long[].class, new Spilling(spill, long.class, "a long array"));
        kryo.addDefaultSerializer(short[].class, new Spilling(spill, short.class, "a short array"));
    }

    private static final class Spilling extends Serializer<Object> {
        private final ArraySpill spill;
        private final Class<?> elementType;
        private final int width;
        private final String what;

        Spilling(ArraySpill spill, Class<?> elementType, String what) {
            super(false, false);
            this.spill = spill;
            this.elementType = elementType;
            this.width = SpilledArray.ElementWidths.of(elementType);
            this.what = what;
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            throw new UnsupportedOperationException("a spilled state is read only");
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            SnapshotInput in = (SnapshotInput) input;
            int length = in.checkedStreamedLength(input.readVarInt(true), width, what);
            long offset = spill.written();
            in.readArrayLE(
                    length,
                    width,
                    (bytes, from, count) ->
                            spill.write(bytes.array(), bytes.arrayOffset() + bytes.position(), count * width));
            return new SpilledArray(elementType, length, offset);
        }
    }
}
