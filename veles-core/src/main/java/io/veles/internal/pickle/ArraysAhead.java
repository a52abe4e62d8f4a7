package io.veles.internal.pickle;

import io.veles.internal.util.DaemonThreads;

import java.lang.ref.SoftReference;
import java.lang.reflect.Array;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Allocates a restore's next large numeric array on another thread while the current one is
 * read. The JVM zeroes every new array before handing it out, on the thread that asks for it, and
 * in a fresh heap that is also the first touch of its memory: about 5 ms per 50 MiB in a heap
 * touched before, and up to 170 ms on these VMs in memory the host took back. Meanwhile the
 * restoring thread reads nothing.
 *
 * <p>The next array is guessed to have the shape of the last large one: a model's arrays come in
 * runs of one shape (a layer's weights and its optimizer's moments, layers alike). A wrong guess
 * costs only the other core's time. A guess is made only where the heap has room for it twice
 * over, counting what it holds now as live (so that no allocation of ours fails, which would
 * end a JVM run with {@code -XX:+ExitOnOutOfMemoryError}), and only where the payload left could
 * hold the array, so that a hostile payload gets no more from guesses than from its lengths. The
 * guessed array is held through a soft reference, which the collector clears before it fails an
 * allocation for want of room.
 */
final class ArraysAhead {
    /** Arrays smaller than this are allocated in place: zeroing them takes about as long as a hand-off. */
    static final long MIN_BYTES = 1 << 20;

    private ExecutorService thread;
    /** The array being allocated ahead, or null; its shape. */
    private Future<SoftReference<Object>> guess;

    private Class<?> guessType;
    private int guessLength;
    /** Guesses taken: for tests. */
    private int taken;
    /** Guesses taken by every instance: for tests that restore through the public API. */
    private static final AtomicLong TAKEN_IN_ALL = new AtomicLong();

    /**
     * A new array of {@code length} elements of {@code componentType}, each {@code width} bytes
     * in the payload. A small one is allocated now and leaves the guess alone (a bias or a scale
     * between a layer's weights and their moments). A large one is the one allocated ahead if it
     * has this shape, else one allocated now; and if the {@code bytesAfter} payload bytes after
     * its elements could hold another, that one is allocated ahead.
     */
    Object newArray(Class<?> componentType, int length, int width, long bytesAfter) {
        long bytes = (long) length * width;
        if (bytes < MIN_BYTES) {
            return Array.newInstance(componentType, length);
        }
        Object array = takeGuess(componentType, length);
        if (array == null) {
            array = Array.newInstance(componentType, length);
        } else {
            taken++;
            TAKEN_IN_ALL.incrementAndGet();
        }
        if (bytes <= bytesAfter && hasRoomTwiceFor(bytes)) {
            allocateAhead(componentType, length);
        }
        return array;
    }

    /** True if the heap, counting all it holds now as live, has room for {@code bytes} twice over. */
    private static boolean hasRoomTwiceFor(long bytes) {
        Runtime runtime = Runtime.getRuntime();
        long held = runtime.totalMemory() - runtime.freeMemory();
        return runtime.maxMemory() - held >= 2 * bytes;
    }

    private Object takeGuess(Class<?> componentType, int length) {
        Future<SoftReference<Object>> pending = guess;
        if (pending == null) {
            return null;
        }
        guess = null;
        if (componentType != guessType || length != guessLength) {
            pending.cancel(false);
            return null;
        }
        try {
            SoftReference<Object> allocated = pending.get();
            return allocated == null ? null : allocated.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private void allocateAhead(Class<?> componentType, int length) {
        if (thread == null) {
            thread = DaemonThreads.pool(1, "veles-allocate-ahead");
        }
        guessType = componentType;
        guessLength = length;
        guess = thread.submit(() -> {
            try {
                return new SoftReference<>(Array.newInstance(componentType, length));
            } catch (OutOfMemoryError e) {
                return null; // no room for a guess: the restore allocates the array itself
            }
        });
    }

    /** Drops the array allocated ahead, if any, and stops the thread: the restore read its last. */
    void close() {
        if (guess != null) {
            guess.cancel(false);
            guess = null;
        }
        if (thread != null) {
            thread.shutdown();
            thread = null;
        }
    }

    int guessesTaken() {
        return taken;
    }

    static long guessesTakenInAll() {
        return TAKEN_IN_ALL.get();
    }
}
