package io.veles.internal.pickle;

import com.esotericsoftware.kryo.unsafe.UnsafeUtil;
import com.esotericsoftware.kryo.util.Util;
import sun.misc.Unsafe;

/**
 * Kryo's {@code sun.misc.Unsafe}, where Kryo itself may use it: null when {@code -Dkryo.unsafe=false}
 * turns it off or the runtime lacks it (no {@code jdk.unsupported} module), and every caller then
 * takes its reflective path.
 */
final class UnsafeAccess {
    static final Unsafe UNSAFE = find();

    private UnsafeAccess() {}

    private static Unsafe find() {
        try {
            return Util.unsafe ? UnsafeUtil.unsafe : null;
        } catch (LinkageError noUnsafe) {
            return null;
        }
    }
}
