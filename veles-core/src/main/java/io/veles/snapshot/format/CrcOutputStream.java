package io.veles.snapshot.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/** Passes bytes through while keeping their CRC32C and count. */
final class CrcOutputStream extends FilterOutputStream {
    private final CRC32C crc = new CRC32C();
    private long count;

    CrcOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        crc.update(b);
        count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        crc.update(bytes, offset, length);
        count += length;
    }

    int crc() {
        return (int) crc.getValue();
    }

    long count() {
        return count;
    }
}
