package io.veles.snapshot.codec;

import java.io.IOException;

/**
 * What bzip2 work a snapshot does in blocks: compressing one block into one stream, and decoding
 * one segment of whole streams. {@link #best()} is libbz2, the bzip2 tool's own library, where it
 * loads, and commons-compress's Java port elsewhere; both write and read the same format.
 */
interface Bzip2Engine {
    /**
     * The system property that turns libbz2 off ({@code -Dveles.bzip2.native=false}): the Java
     * port then does all the work.
     */
    String NATIVE_PROPERTY = "veles.bzip2.native";

    /** Compresses {@code length} bytes of {@code block} into the empty {@code out} as one stream. */
    void compress(byte[] block, int length, int level, BlockBuffer out) throws IOException;

    /**
     * The bytes that the first {@code length} bytes of {@code compressed} decode to, if they are
     * whole streams ending exactly at their end that give at most {@code maxDecoded} bytes; null
     * otherwise (damage, a truncated stream, trailing bytes, more than the bound, no input),
     * leaving the sequential decoder to decide and report. They are decoded into {@code into}
     * when it has room for them and one byte more, else into a new array.
     */
    DecodedSegment decode(byte[] compressed, int length, byte[] into, int maxDecoded);

    /** As {@link #decode(byte[], int, byte[], int)}, all of {@code compressed}, into a new array; {@code expectedBytes} guesses its size. */
    default DecodedSegment decode(byte[] compressed, int expectedBytes, int maxDecoded) {
        return decode(compressed, compressed.length, new byte[Math.min(expectedBytes, maxDecoded) + 1], maxDecoded);
    }

    /** The first {@code length} bytes of {@code bytes}. */
    record DecodedSegment(byte[] bytes, int length) {}

    /** libbz2 if it loads and is not turned off, else the Java port. */
    static Bzip2Engine best() {
        return NativeBzip2.available() && !"false".equals(System.getProperty(NATIVE_PROPERTY))
                ? NativeBzip2.INSTANCE
                : JavaBzip2.INSTANCE;
    }
}
