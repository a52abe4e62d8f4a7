package io.veles.snapshot.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A deflate bit stream written into a {@link BlockBuffer}: bits fill each byte from its least
 * significant end (RFC 1951 section 3.1.1), 32 at a time through a 64-bit accumulator.
 */
final class DeflateBits {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final BlockBuffer out;
    private byte[] bytes;
    private int at;
    private long pending;
    private int pendingBits;

    /** Writes from byte {@code at} of {@code out} on. */
    DeflateBits(BlockBuffer out, int at) {
        this.out = out;
        this.bytes = out.array();
        this.at = at;
    }

    /** Makes room for {@code count} more bytes of output, besides those pending. */
    void reserve(long count) {
        long needed = at + count + 16;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a deflate block of " + count + " bytes does not fit an array");
        }
        if (needed > bytes.length) {
            out.ensureCapacity((int) needed);
            bytes = out.array();
        }
    }

    /** Appends the low {@code count} bits of {@code value} (count at most 32); room must be reserved. */
    void write(int value, int count) {
        pending |= (value & 0xFFFFFFFFL) << pendingBits;
        pendingBits += count;
        if (pendingBits >= 32) {
            INT_LE.set(bytes, at, (int) pending);
            at += 4;
            pending >>>= 32;
            pendingBits -= 32;
        }
    }

    /**
     * Appends each of {@code length} bytes of {@code data} from {@code from} as its code: {@code
     * table[b]} holds the bit-reversed code in its low 16 bits and its length above them. The
     * inner loop of a block, kept here so that the accumulator stays in registers.
     */
    void writeCoded(byte[] data, int from, int length, int[] table) {
        long bits = pending;
        int count = pendingBits;
        int position = at;
        byte[] sink = bytes;
        for (int i = from, end = from + length; i < end; i++) {
            int entry = table[data[i] & 0xff];
            bits |= (long) (entry & 0xFFFF) << count;
            count += entry >>> 16;
            if (count >= 32) {
                INT_LE.set(sink, position, (int) bits);
                position += 4;
                bits >>>= 32;
                count -= 32;
            }
        }
        pending = bits;
        pendingBits = count;
        at = position;
    }

    /** Pads with zero bits to the next byte boundary (before a stored block's length). */
    void alignToByte() {
        int extra = (8 - (pendingBits & 7)) & 7;
        if (extra > 0) {
            write(0, extra);
        }
        while (pendingBits > 0) {
            bytes[at++] = (byte) pending;
            pending >>>= 8;
            pendingBits -= 8;
        }
    }

    /** Copies {@code length} bytes as they are; the stream must be at a byte boundary. */
    void writeBytes(byte[] data, int from, int length) {
        System.arraycopy(data, from, bytes, at, length);
        at += length;
    }

    /** Writes what is pending, padded to a byte, and returns the position after the last byte. */
    int finish() {
        alignToByte();
        return at;
    }
}
