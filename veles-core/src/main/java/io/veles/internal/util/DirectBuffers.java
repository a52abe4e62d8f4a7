package io.veles.internal.util;

import sun.misc.Unsafe;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Frees a direct buffer's memory when its owner drops it. Left to the collector, the memory goes
 * only when an old-generation collection finds the buffer's small heap object, which a heap that
 * holds little may not run for a long time, while the memory still counts against the JVM's
 * direct memory limit.
 */
public final class DirectBuffers {
    private static final Unsafe UNSAFE = find();

    private DirectBuffers() {}

    /**
     * Frees {@code buffer}'s memory now if it is a direct buffer that owns it (not a slice);
     * without {@code sun.misc.Unsafe}, leaves it to the collector. The buffer must not be used again.
     */
    public static void free(ByteBuffer buffer) {
        if (buffer.isDirect() && UNSAFE != null) {
            UNSAFE.invokeCleaner(buffer);
        }
    }

    private static Unsafe find() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (Unsafe) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
            return null;
        }
    }
}
