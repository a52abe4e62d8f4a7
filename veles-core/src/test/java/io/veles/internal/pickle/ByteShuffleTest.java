package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Every width's shuffle is the filter's definition, at offsets, and unshuffle undoes it, into
 * bytes or straight into each numeric array type.
 */
class ByteShuffleTest {
    /** The definition: byte b of element i goes to stream b, position i. */
    private static byte[] shuffledByDefinition(byte[] in, int inOffset, int count, int width) {
        byte[] out = new byte[count * width];
        for (int i = 0; i < count; i++) {
            for (int b = 0; b < width; b++) {
                out[b * count + i] = in[inOffset + i * width + b];
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8, 9})
    void shuffleIsTheDefinitionAndUnshuffleUndoesIt(int width) {
        Random random = new Random(width);
        for (int count : new int[] {0, 1, 7, 8, 9, 1000, 4097}) {
            int inOffset = 3;
            int outOffset = 5;
            byte[] in = new byte[inOffset + count * width + 2];
            random.nextBytes(in);

            byte[] shuffled = new byte[outOffset + count * width + 1];
            ByteShuffle.shuffle(in, inOffset, shuffled, outOffset, count, width);
            byte[] expected = shuffledByDefinition(in, inOffset, count, width);
            for (int i = 0; i < expected.length; i++) {
                assertThat(shuffled[outOffset + i])
                        .as("width %d, count %d, byte %d", width, count, i)
                        .isEqualTo(expected[i]);
            }

            byte[] restored = new byte[1 + count * width];
            ByteShuffle.unshuffle(shuffled, outOffset, restored, 1, count, width);
            for (int i = 0; i < count * width; i++) {
                assertThat(restored[1 + i])
                        .as("width %d, count %d, byte %d", width, count, i)
                        .isEqualTo(in[inOffset + i]);
            }
        }
    }

    /**
     * Unshuffling into an array gives the elements that unshuffling into bytes and reading those
     * little-endian gives, bit for bit, at an offset in the array. The bytes are random, so the
     * floats and doubles include NaNs with payloads, which must not be made canonical.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 1000, 4097})
    void unshufflingIntoAnArrayIsUnshufflingIntoBytesThenReadingThem(int count) {
        Random random = new Random(count);
        int at = 3; // where the block's elements go in the array
        for (int width : new int[] {2, 4, 8}) {
            byte[] shuffled = new byte[count * width];
            random.nextBytes(shuffled);
            byte[] plain = new byte[count * width];
            ByteShuffle.unshuffle(shuffled, 0, plain, 0, count, width);
            ByteBuffer bytes = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
            switch (width) {
                case 2 -> {
                    short[] shorts = new short[at + count];
                    ByteShuffle.unshuffleInto(shuffled, shorts, at, count);
                    char[] chars = new char[at + count];
                    ByteShuffle.unshuffleInto(shuffled, chars, at, count);
                    for (int i = 0; i < count; i++) {
                        assertThat(shorts[at + i])
                                .as("short %d of %d", i, count)
                                .isEqualTo(bytes.getShort(2 * i));
                        assertThat(chars[at + i]).as("char %d of %d", i, count).isEqualTo(bytes.getChar(2 * i));
                    }
                }
                case 4 -> {
                    int[] ints = new int[at + count];
                    ByteShuffle.unshuffleInto(shuffled, ints, at, count);
                    float[] floats = new float[at + count];
                    ByteShuffle.unshuffleInto(shuffled, floats, at, count);
                    for (int i = 0; i < count; i++) {
                        assertThat(ints[at + i]).as("int %d of %d", i, count).isEqualTo(bytes.getInt(4 * i));
                        assertThat(Float.floatToRawIntBits(floats[at + i]))
                                .as("float %d of %d", i, count)
                                .isEqualTo(bytes.getInt(4 * i));
                    }
                }
                default -> {
                    long[] longs = new long[at + count];
                    ByteShuffle.unshuffleInto(shuffled, longs, at, count);
                    double[] doubles = new double[at + count];
                    ByteShuffle.unshuffleInto(shuffled, doubles, at, count);
                    for (int i = 0; i < count; i++) {
                        assertThat(longs[at + i]).as("long %d of %d", i, count).isEqualTo(bytes.getLong(8 * i));
                        assertThat(Double.doubleToRawLongBits(doubles[at + i]))
                                .as("double %d of %d", i, count)
                                .isEqualTo(bytes.getLong(8 * i));
                    }
                }
            }
        }
    }
}
