package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.util.Random;

/**
 * Arrays allocated ahead: whatever the order of shapes asked for, each array handed out has the
 * shape asked for and holds zeros; a run of one shape is served by guesses, and no guess is made
 * for a small array or one the payload left could not hold again.
 */
class ArraysAheadTest {
    private static final Class<?>[] TYPES = {float.class, double.class, int.class, long.class, short.class, char.class};
    private static final int[] WIDTHS = {4, 8, 4, 8, 2, 2};

    private final ArraysAhead ahead = new ArraysAhead();

    @AfterEach
    void close() {
        ahead.close();
    }

    @Test
    void everyArrayHasTheShapeAskedForAndHoldsZerosWhateverTheGuesses() {
        Random random = new Random(5);
        int large = (int) ArraysAhead.MIN_BYTES / 2;
        for (int i = 0; i < 300; i++) {
            // mostly repeats of a few shapes, so that guesses are both taken and missed
            int type = random.nextInt(3) == 0 ? random.nextInt(TYPES.length) : 0;
            int length = random.nextBoolean() ? large : large / 2 + random.nextInt(3);
            long bytesAfter = random.nextInt(4) == 0 ? 0 : Long.MAX_VALUE;
            Object array = ahead.newArray(TYPES[type], length, WIDTHS[type], bytesAfter);
            assertThat(array.getClass().getComponentType()).isEqualTo(TYPES[type]);
            assertThat(Array.getLength(array)).isEqualTo(length);
            assertZeros(array);
            Array.set(array, length - 1, Array.get(oneOf(TYPES[type]), 0)); // used, as a restore fills it
        }
        assertThat(ahead.guessesTaken()).isPositive();
    }

    @Test
    void aRunOfOneShapeIsServedByGuesses() {
        int length = (int) (ArraysAhead.MIN_BYTES / Float.BYTES);
        for (int i = 0; i < 10; i++) {
            float[] array = (float[]) ahead.newArray(float.class, length, Float.BYTES, Long.MAX_VALUE);
            assertThat(array).hasSize(length);
        }
        assertThat(ahead.guessesTaken()).isEqualTo(9);
    }

    @Test
    void aSmallArrayBetweenTwoOfARunLeavesTheGuessToTheSecond() {
        int length = (int) (ArraysAhead.MIN_BYTES / Float.BYTES);
        ahead.newArray(float.class, length, Float.BYTES, Long.MAX_VALUE);
        assertThat((float[]) ahead.newArray(float.class, 100, Float.BYTES, Long.MAX_VALUE))
                .hasSize(100);
        assertThat((byte[]) ahead.newArray(byte.class, 16, 1, Long.MAX_VALUE)).hasSize(16);
        assertThat((float[]) ahead.newArray(float.class, length, Float.BYTES, Long.MAX_VALUE))
                .hasSize(length);
        assertThat(ahead.guessesTaken()).isEqualTo(1);
    }

    @Test
    void aGuessOfAnotherShapeIsNotTaken() {
        int length = (int) (ArraysAhead.MIN_BYTES / Float.BYTES);
        ahead.newArray(float.class, length, Float.BYTES, Long.MAX_VALUE);
        assertThat(ahead.newArray(int.class, length, Integer.BYTES, Long.MAX_VALUE))
                .isInstanceOf(int[].class);
        assertThat((float[]) ahead.newArray(float.class, length + 1, Float.BYTES, Long.MAX_VALUE))
                .hasSize(length + 1);
        assertThat(ahead.guessesTaken()).isZero();
    }

    @Test
    void noGuessForASmallArrayOrOneThePayloadLeftCannotHoldAgain() {
        int small = (int) (ArraysAhead.MIN_BYTES / Float.BYTES) - 1;
        int large = small + 1;
        for (int i = 0; i < 3; i++) {
            ahead.newArray(float.class, small, Float.BYTES, Long.MAX_VALUE);
        }
        for (int i = 0; i < 3; i++) {
            ahead.newArray(float.class, large, Float.BYTES, (long) large * Float.BYTES - 1);
        }
        assertThat(ahead.guessesTaken()).isZero();
    }

    @Test
    void closingStopsTheThread() throws InterruptedException {
        int length = (int) (ArraysAhead.MIN_BYTES / Float.BYTES);
        ahead.newArray(float.class, length, Float.BYTES, Long.MAX_VALUE);
        ahead.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (allocatingThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(allocatingThreads()).isZero();
    }

    private static long allocatingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("veles-allocate-ahead"))
                .count();
    }

    private static Object oneOf(Class<?> type) {
        Object one = Array.newInstance(type, 1);
        if (type == float.class) {
            Array.setFloat(one, 0, 1f);
        } else if (type == double.class) {
            Array.setDouble(one, 0, 1d);
        } else if (type == char.class) {
            Array.setChar(one, 0, 'x');
        } else if (type == short.class) {
            Array.setShort(one, 0, (short) 1);
        } else if (type == int.class) {
            Array.setInt(one, 0, 1);
        } else {
            Array.setLong(one, 0, 1L);
        }
        return one;
    }

    private static void assertZeros(Object array) {
        Object zero = Array.get(Array.newInstance(array.getClass().getComponentType(), 1), 0);
        for (int i = 0; i < Array.getLength(array); i += 997) {
            assertThat(Array.get(array, i)).isEqualTo(zero);
        }
        assertThat(Array.get(array, Array.getLength(array) - 1)).isEqualTo(zero);
    }
}
