package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Bulk serializers for numeric arrays, the bulk of a model's state: a length, then the elements
 * little-endian, copied a buffer at a time (Kryo's stock serializers go element by element).
 */
final class PrimitiveArraySerializers {
    private PrimitiveArraySerializers() {}

    static void register(Kryo kryo) {
        kryo.addDefaultSerializer(float[].class, new FloatArray());
        kryo.addDefaultSerializer(double[].class, new DoubleArray());
        kryo.addDefaultSerializer(int[].class, new IntArray());
        kryo.addDefaultSerializer(long[].class, new LongArray());
        kryo.addDefaultSerializer(short[].class, new ShortArray());
        kryo.addDefaultSerializer(char[].class, new CharArray());
        kryo.addDefaultSerializer(boolean[].class, new BooleanArray());
    }

    /**
     * boolean[] in Kryo's own layout (its length plus one, 0 for null, then a byte each), its
     * length checked against the payload before the array is made: Kryo's serializer made it
     * first, so ten bytes declaring two billion elements allocated 2 GB.
     */
    static final class BooleanArray extends Serializer<boolean[]> {
        BooleanArray() {
            super(true, false);
        }

        @Override
        public void write(Kryo kryo, Output output, boolean[] array) {
            if (array == null) {
                output.writeVarInt(Kryo.NULL, true);
                return;
            }
            output.writeVarInt(array.length + 1, true);
            for (boolean value : array) {
                output.writeBoolean(value);
            }
        }

        @Override
        public boolean[] read(Kryo kryo, Input input, Class<? extends boolean[]> type) {
            int length = input.readVarInt(true);
            if (length == Kryo.NULL) {
                return null;
            }
            boolean[] array = new boolean[((SnapshotInput) input).checkedLength(length - 1, 1, "a boolean array")];
            for (int i = 0; i < array.length; i++) {
                array[i] = input.readBoolean();
            }
            return array;
        }

        @Override
        public boolean[] copy(Kryo kryo, boolean[] original) {
            throw new UnsupportedOperationException();
        }
    }

    private abstract static class Base<T> extends Serializer<T> {
        Base() {
            super(false, false);
        }

        @Override
        public T copy(Kryo kryo, T original) {
            throw new UnsupportedOperationException();
        }

        static SnapshotOutput out(Output output) {
            return (SnapshotOutput) output;
        }

        static SnapshotInput in(Input input) {
            return (SnapshotInput) input;
        }

        /** A new array of the length read next, checked first; large ones may be allocated ahead. */
        static Object newArray(Input input, Class<?> componentType, int width, String what) {
            SnapshotInput in = in(input);
            return in.newArray(componentType, in.checkedLength(input.readVarInt(true), width, what), width);
        }
    }

    static final class FloatArray extends Base<float[]> {
        @Override
        public void write(Kryo kryo, Output output, float[] array) {
            output.writeVarInt(array.length, true);
            out(output)
                    .writeArrayLE(
                            array.length,
                            Float.BYTES,
                            (bytes, from, n) -> bytes.asFloatBuffer().put(array, from, n));
        }

        @Override
        public float[] read(Kryo kryo, Input input, Class<? extends float[]> type) {
            float[] array = (float[]) newArray(input, float.class, Float.BYTES, "a float array");
            in(input)
                    .readArrayLE(
                            array.length,
                            Float.BYTES,
                            (bytes, from, n) -> bytes.asFloatBuffer().get(array, from, n),
                            array,
                            ByteShuffle::unshuffleInto);
            return array;
        }
    }

    static final class DoubleArray extends Base<double[]> {
        @Override
        public void write(Kryo kryo, Output output, double[] array) {
            output.writeVarInt(array.length, true);
            out(output)
                    .writeArrayLE(
                            array.length,
                            Double.BYTES,
                            (bytes, from, n) -> bytes.asDoubleBuffer().put(array, from, n));
        }

        @Override
        public double[] read(Kryo kryo, Input input, Class<? extends double[]> type) {
            double[] array = (double[]) newArray(input, double.class, Double.BYTES, "a double array");
            in(input)
                    .readArrayLE(
                            array.length,
                            Double.BYTES,
                            (bytes, from, n) -> bytes.asDoubleBuffer().get(array, from, n),
                            array,
                            ByteShuffle::unshuffleInto);
            return array;
        }
    }

    static final class IntArray extends Base<int[]> {
        @Override
        public void write(Kryo kryo, Output output, int[] array) {
            output.writeVarInt(array.length, true);
            out(output)
                    .writeArrayLE(
                            array.length,
                            Integer.BYTES,
                            (bytes, from, n) -> bytes.asIntBuffer().put(array, from, n));
        }

        @Override
        public int[] read(Kryo kryo, Input input, Class<? extends int[]> type) {
            int[] array = (int[]) newArray(input, int.class, Integer.BYTES, "an int array");
            in(input)
                    .readArrayLE(
                            array.length,
                            Integer.BYTES,
                            (bytes, from, n) -> bytes.asIntBuffer().get(array, from, n),
                            array,
                            ByteShuffle::unshuffleInto);
            return array;
        }
    }

    static final class LongArray extends Base<long[]> {
        @Override
        public void write(Kryo kryo, Output output, long[] array) {
            output.writeVarInt(array.length, true);
            out(output)
                    .writeArrayLE(
                            array.length,
                            Long.BYTES,
                            (bytes, from, n) -> bytes.asLongBuffer().put(array, from, n));
        }

        @Override
        public long[] read(Kryo kryo, Input input, Class<? extends long[]> type) {
            long[] array = (long[]) newArray(input, long.class, Long.BYTES, "a long array");
            in(input)
                    .readArrayLE(
                            array.length,
                            Long.BYTES,
                            (bytes, from, n) -> bytes.asLongBuffer().get(array, from, n),
                            array,
                            ByteShuffle::unshuffleInto);
            return array;
        }
    }

    static final class ShortArray extends Base<short[]> {
        @Override
        public void write(Kryo kryo, Output output, short[] array) {
            output.writeVarInt(array.length, true);
            out(output)
                    .writeArrayLE(
                            array.length,
                            Short.BYTES,
                            (bytes, from, n) -> bytes.asShortBuffer().put(array, from, n));
        }

        @Override
        public short[] read(Kryo kryo, Input input, Class<? extends short[]> type) {
            short[] array = (short[]) newArray(input, short.class, Short.BYTES, "a short array");
            in(input)
                    .readArrayLE(
                            array.length,
                            Short.BYTES,
                            (bytes, from, n) -> bytes.asShortBuffer().get(array, from, n),
                            array,
                            ByteShuffle::unshuffleInto);
            return array;
        }
    }

    static final class CharArray extends Base<char[]> {
        @Override
        public void write(Kryo kryo, Output output, char[] array) {
            output.writeVarInt(array.length, true);
            out(output)
                    .writeArrayLE(
                            array.length,
                            Character.BYTES,
                            (bytes, from, n) -> bytes.asCharBuffer().put(array, from, n));
        }

        @Override
        public char[] read(Kryo kryo, Input input, Class<? extends char[]> type) {
            char[] array = (char[]) newArray(input, char.class, Character.BYTES, "a char array");
            in(input)
                    .readArrayLE(
                            array.length,
                            Character.BYTES,
                            (bytes, from, n) -> bytes.asCharBuffer().get(array, from, n),
                            array,
                            ByteShuffle::unshuffleInto);
            return array;
        }
    }
}
