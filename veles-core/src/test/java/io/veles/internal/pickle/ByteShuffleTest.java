package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

/** Every width's shuffle is the filter's definition, at offsets, and unshuffle undoes it. */
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
}
