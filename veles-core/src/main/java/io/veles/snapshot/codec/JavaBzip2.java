package io.veles.snapshot.codec;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.io.input.UnsynchronizedByteArrayInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/** bzip2 blocks by commons-compress's Java port: where libbz2 does not load, or is turned off. */
final class JavaBzip2 implements Bzip2Engine {
    static final JavaBzip2 INSTANCE = new JavaBzip2();

    private JavaBzip2() {}

    @Override
    public void compress(byte[] block, int length, int level, BlockBuffer out) throws IOException {
        try (OutputStream stream = new BZip2CompressorOutputStream(out, level)) {
            stream.write(block, 0, length);
        }
    }

    @Override
    public DecodedSegment decode(byte[] compressed, int compressedLength, byte[] into, int maxDecoded) {
        // A buffer one byte larger than the output tells the end from "more" without growing.
        byte[] out = into.length > 0 ? into : new byte[1];
        int length = 0;
        // commons-compress pulls its input a byte at a time: ByteArrayInputStream's synchronized
        // read() took a third of the decoding threads' time (async-profiler, a 256 MiB restore).
        try (InputStream in = new BZip2CompressorInputStream(
                UnsynchronizedByteArrayInputStream.builder()
                        .setByteArray(compressed)
                        .setLength(compressedLength)
                        .get(),
                true)) {
            while (true) {
                if (length == out.length) {
                    if (length > maxDecoded) {
                        return null; // more than the bound: the sequential decoder streams it
                    }
                    out = Arrays.copyOf(out, (int) Math.min(maxDecoded + 1L, 2L * out.length));
                }
                int n = in.read(out, length, out.length - length);
                if (n < 0) {
                    // the decoder ends only at a stream's end with no input left
                    return length > maxDecoded ? null : new DecodedSegment(out, length);
                }
                length += n;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "commons-compress";
    }
}
