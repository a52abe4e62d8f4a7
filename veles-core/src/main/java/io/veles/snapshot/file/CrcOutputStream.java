package io.veles.snapshot.file;

import javax.crypto.Mac;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/** Passes bytes through while keeping their CRC32C, their count and, when signing, their HMAC. */
final class CrcOutputStream extends FilterOutputStream {
    private final CRC32C crc = new CRC32C();
    private final Mac mac;
    private long count;

    /** {@code mac} may be null: then nothing is signed. */
    CrcOutputStream(OutputStream out, Mac mac) {
        super(out);
        this.mac = mac;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        crc.update(b);
        if (mac != null) {
            mac.update((byte) b);
        }
        count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        crc.update(bytes, offset, length);
        if (mac != null) {
            mac.update(bytes, offset, length);
        }
        count += length;
    }

    /** The signature of everything written so far; call once. */
    /** The HMAC of everything written, or null when not signing. */
    byte[] signature() {
        return mac == null ? null : mac.doFinal();
    }

    int crc() {
        return (int) crc.getValue();
    }

    long count() {
        return count;
    }
}
