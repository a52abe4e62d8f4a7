package io.veles.snapshot.codec;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip members that record their own length, so that a reader can find the next member without
 * inflating this one and inflate members in parallel (the idea of BGZF, with a 32-bit length).
 * The length sits in an extra-field subfield {@code 'V','L'} (RFC 1952 FEXTRA), which gzip and
 * every other reader skip.
 */
final class GzipMembers {
    static final int SUBFIELD_1 = 'V';
    static final int SUBFIELD_2 = 'L';
    /** Bytes before the deflate data: fixed header, XLEN, subfield id, length and value. */
    static final int HEADER_BYTES = 10 + 2 + 4 + 4;
    private static final int OS_UNKNOWN = 255;

    private GzipMembers() {
    }

    /** One whole gzip member holding {@code length} bytes of {@code data}. */
    static byte[] compress(byte[] data, int length, int level) {
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(data, 0, length);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(length / 2 + 1024);
            byte[] header = new byte[HEADER_BYTES];
            out.write(header, 0, header.length); // filled in below, once the size is known
            byte[] buffer = new byte[64 << 10];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            CRC32 crc = new CRC32();
            crc.update(data, 0, length);
            writeIntLE(out, (int) crc.getValue());
            writeIntLE(out, length);
            byte[] member = out.toByteArray();
            member[0] = 0x1f;
            member[1] = (byte) 0x8b;
            member[2] = 8; // deflate
            member[3] = 4; // FEXTRA
            // bytes 4-7: no modification time; 8: extra flags
            member[8] = (byte) (level >= 9 ? 2 : level == 1 ? 4 : 0);
            member[9] = (byte) OS_UNKNOWN;
            member[10] = 8; // XLEN
            member[11] = 0;
            member[12] = (byte) SUBFIELD_1;
            member[13] = (byte) SUBFIELD_2;
            member[14] = 4; // subfield length
            member[15] = 0;
            putIntLE(member, 16, member.length);
            return member;
        } finally {
            deflater.end();
        }
    }

    private static void writeIntLE(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }

    static void putIntLE(byte[] bytes, int at, int value) {
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >>> 8);
        bytes[at + 2] = (byte) (value >>> 16);
        bytes[at + 3] = (byte) (value >>> 24);
    }

    static int getIntLE(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 3] & 0xff) << 24;
    }
}
