package io.veles.snapshot.codec;

/**
 * Finds where one bzip2 stream ends and the next begins in concatenated streams. bzip2 records no
 * stream lengths, so this looks for the seam itself: the previous stream's end-of-stream marker
 * (48 bits, not byte-aligned) and combined CRC, zero padding to the byte, then "BZh", a level
 * digit and the first block's magic. Such a seam can also occur by chance inside compressed
 * data, so a position found here is only a candidate: the reader must check it by decoding.
 */
final class Bzip2StreamStarts {
    /** Bytes of the next stream's start that are checked: "BZh", the level, the block magic. */
    static final int START_BYTES = 10;
    /** Bytes before a start that hold the end-of-stream marker, CRC and padding (80 to 87 bits). */
    static final int END_BYTES = 11;

    private static final long END_OF_STREAM_MAGIC = 0x177245385090L;
    private static final byte[] BLOCK_MAGIC = {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};

    private Bzip2StreamStarts() {}

    /**
     * The first position {@code p} with {@code from <= p < to} where a stream may start right
     * after a finished one, or -1. Reads {@code bytes[p - END_BYTES, p + START_BYTES)}, so the
     * caller passes {@code to <= bytes.length - START_BYTES + 1}.
     */
    static int find(byte[] bytes, int from, int to) {
        for (int p = Math.max(from, END_BYTES); p < to; p++) {
            if (bytes[p] == 'B' && isStart(bytes, p) && followsEnd(bytes, p)) {
                return p;
            }
        }
        return -1;
    }

    private static boolean isStart(byte[] bytes, int p) {
        if (bytes[p + 1] != 'Z' || bytes[p + 2] != 'h' || bytes[p + 3] < '1' || bytes[p + 3] > '9') {
            return false;
        }
        for (int i = 0; i < BLOCK_MAGIC.length; i++) {
            if (bytes[p + 4 + i] != BLOCK_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if the marker, then 32 CRC bits, then 0 to 7 zero bits end exactly at {@code p}. */
    private static boolean followsEnd(byte[] bytes, int p) {
        // The 8 bytes from p - 11 hold the marker whatever the padding: it starts 8 - padding bits in.
        long head = 0;
        for (int i = p - END_BYTES; i < p - END_BYTES + 8; i++) {
            head = head << 8 | (bytes[i] & 0xff);
        }
        int last = bytes[p - 1] & 0xff;
        for (int padding = 0; padding < 8; padding++) {
            if ((last & ((1 << padding) - 1)) == 0
                    && (head >>> (8 + padding) & 0xffffffffffffL) == END_OF_STREAM_MAGIC) {
                return true;
            }
        }
        return false;
    }
}
