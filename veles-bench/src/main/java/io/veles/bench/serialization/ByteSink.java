package io.veles.bench.serialization;

import java.io.OutputStream;
import java.util.Arrays;

/** An OutputStream that either keeps the bytes in one growing array or only counts them. */
final class ByteSink extends OutputStream {
    private byte[] bytes;
    private long count;

    private ByteSink(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Counts bytes and drops them: measures a writer without the cost of a destination. */
    static ByteSink discarding() {
        return new ByteSink(null);
    }

    static ByteSink growable(int initialCapacity) {
        return new ByteSink(new byte[initialCapacity]);
    }

    @Override
    public void write(int b) {
        if (bytes != null) {
            ensure(1);
            bytes[(int) count] = (byte) b;
        }
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (bytes != null) {
            ensure(len);
            System.arraycopy(b, off, bytes, (int) count, len);
        }
        count += len;
    }

    private void ensure(int more) {
        long needed = count + more;
        if (needed > bytes.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than 2 GiB in one array");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length)));
        }
    }

    void reset() {
        count = 0;
    }

    long count() {
        return count;
    }

    byte[] bytes() {
        return bytes;
    }
}
