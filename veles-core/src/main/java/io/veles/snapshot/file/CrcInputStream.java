package io.veles.snapshot.file;

import javax.crypto.Mac;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Passes bytes through while keeping their CRC32C, their count and, when a key is given, their
 * HMAC; and hands out at most
 * {@code limit} bytes through {@link #limit(long)} views so that a payload reader cannot read
 * into the trailer.
 */
final class CrcInputStream extends FilterInputStream {
    private final CRC32C crc = new CRC32C();
    private final Mac mac;
    private long count;

    /** {@code mac} may be null: then no signature is computed. */
    CrcInputStream(InputStream in, Mac mac) {
        super(in);
        this.mac = mac;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            crc.update(b);
            if (mac != null) {
                mac.update((byte) b);
            }
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int n = in.read(bytes, offset, length);
        if (n > 0) {
            crc.update(bytes, offset, n);
            if (mac != null) {
                mac.update(bytes, offset, n);
            }
            count += n;
        }
        return n;
    }

    /** The signature of everything read so far, or null when not computing one; call once. */
    byte[] signature() {
        return mac == null ? null : mac.doFinal();
    }

    /** Reads (so that the CRC covers them) up to {@code n} bytes; stops early at the end. */
    @Override
    public long skip(long n) throws IOException {
        return skipByReading(this, n);
    }

    private static long skipByReading(InputStream in, long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 1 << 16)];
        long skipped = 0;
        while (skipped < n) {
            int read = in.read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    int crc() {
        return (int) crc.getValue();
    }

    long count() {
        return count;
    }

    /** A view of the next {@code limit} bytes; it ends there, and its close() does nothing. */
    Limited limit(long limit) {
        return new Limited(limit);
    }

    /** The next bytes up to a limit, so that a payload reader cannot read into the trailer. */
    final class Limited extends InputStream {
        private long left;

        private Limited(long limit) {
            this.left = limit;
        }

        /** Bytes of the view not read yet. */
        long left() {
            return left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = CrcInputStream.this.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = CrcInputStream.this.read(bytes, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        /** Reads (so that the CRC covers them) up to {@code n} bytes; stops early at the end. */
        @Override
        public long skip(long n) throws IOException {
            return skipByReading(this, n);
        }
    }
}
