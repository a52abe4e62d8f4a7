package io.veles.snapshot.codec;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * bzip2 blocks by libbz2, the library of the bzip2 tool itself, called through JNA. Debian's
 * package manager depends on it, so nearly every Linux machine has it; where it does not load,
 * {@link JavaBzip2} does the work and the files are the same format.
 *
 * <p>Measured on W1's byte-shuffled weights, one 4 MiB block at level 9 on one thread
 * (2026-12-03): libbz2 compressed it in 377-385 ms, commons-compress in 517-570 ms; commons-
 * compress's move-to-front coding alone took half of its time, on bytes that are mostly noise.
 */
final class NativeBzip2 implements Bzip2Engine {
    private static final int BZ_OK = 0;
    private static final int BZ_STREAM_END = 4;
    /** Default work factor (30), as the bzip2 tool uses: when sorting falls back to the slow way. */
    private static final int DEFAULT_WORK_FACTOR = 0;

    private static final LibBz2 LIBRARY = load();

    static final NativeBzip2 INSTANCE = new NativeBzip2();

    private NativeBzip2() {}

    /** libbz2's functions that compress a buffer and decode streams; names as in bzlib.h. */
    interface LibBz2 extends Library {
        int BZ2_bzBuffToBuffCompress(
                byte[] dest,
                IntByReference destLength,
                byte[] source,
                int sourceLength,
                int blockSize100k,
                int verbosity,
                int workFactor);

        int BZ2_bzDecompressInit(BzStream stream, int verbosity, int small);

        int BZ2_bzDecompress(BzStream stream);

        int BZ2_bzDecompressEnd(BzStream stream);

        String BZ2_bzlibVersion();
    }

    /** bzlib.h's bz_stream: JNA copies it to native memory before each call and back after. */
    @Structure.FieldOrder({
        "nextIn", "availIn", "totalInLo32", "totalInHi32",
        "nextOut", "availOut", "totalOutLo32", "totalOutHi32",
        "state", "bzalloc", "bzfree", "opaque"
    })
    public static final class BzStream extends Structure {
        public Pointer nextIn;
        public int availIn;
        public int totalInLo32;
        public int totalInHi32;
        public Pointer nextOut;
        public int availOut;
        public int totalOutLo32;
        public int totalOutHi32;
        public Pointer state;
        public Pointer bzalloc;
        public Pointer bzfree;
        public Pointer opaque;
    }

    /**
     * The library, or null where it (or JNA's own native part) does not load, or where it does
     * not round-trip a few bytes: every call and the stream mapping are tried once here, so that
     * a mismatch shows as the Java port doing the work, not as a failed snapshot.
     */
    private static LibBz2 load() {
        for (String name : List.of("bz2", "libbz2.so.1.0", "libbz2.so.1")) {
            try {
                LibBz2 library = Native.load(name, LibBz2.class);
                if (roundTrips(library)) {
                    return library;
                }
            } catch (LinkageError | RuntimeException e) {
                // the next name, else the Java port
            }
        }
        return null;
    }

    private static boolean roundTrips(LibBz2 library) {
        byte[] probe = "veles: libbz2 probe".getBytes(StandardCharsets.US_ASCII);
        BlockBuffer compressed = new BlockBuffer(16);
        try {
            compress(library, probe, probe.length, 1, compressed);
        } catch (IOException e) {
            return false;
        }
        DecodedSegment decoded =
                decode(library, compressed.array(), compressed.size(), new byte[probe.length + 1], probe.length);
        return decoded != null && Arrays.equals(probe, 0, probe.length, decoded.bytes(), 0, decoded.length());
    }

    static boolean available() {
        return LIBRARY != null;
    }

    /** libbz2's version, as {@code bzip2 --version} prints it; null when it did not load. */
    static String version() {
        return LIBRARY == null ? null : LIBRARY.BZ2_bzlibVersion();
    }

    @Override
    public void compress(byte[] block, int length, int level, BlockBuffer out) throws IOException {
        try {
            compress(LIBRARY, block, length, level, out);
        } catch (LinkageError | RuntimeException e) {
            out.reset(); // a native failure after the probe passed: the Java port writes the same format
            JavaBzip2.INSTANCE.compress(block, length, level, out);
        }
    }

    private static void compress(LibBz2 library, byte[] block, int length, int level, BlockBuffer out)
            throws IOException {
        // The bzip2 manual: one buffer's output is at most 1% larger, plus 600 bytes.
        int capacity = length + length / 100 + 600;
        out.ensureCapacity(capacity);
        IntByReference written = new IntByReference(capacity);
        int status =
                library.BZ2_bzBuffToBuffCompress(out.array(), written, block, length, level, 0, DEFAULT_WORK_FACTOR);
        if (status != BZ_OK) {
            throw new IOException("libbz2 could not compress a block (status " + status + ")");
        }
        out.setSize(written.getValue());
    }

    @Override
    public DecodedSegment decode(byte[] compressed, int length, byte[] into, int maxDecoded) {
        try {
            return decode(LIBRARY, compressed, length, into, maxDecoded);
        } catch (LinkageError | RuntimeException e) {
            return null; // the sequential decoder decides
        }
    }

    /**
     * Decodes into one native buffer of {@code maxDecoded + 1} bytes: its pages are touched only
     * as far as the output goes, and the extra byte tells "exactly the bound" from "more". Then
     * copies the output into {@code into}, or a new array if it does not fit.
     */
    private static DecodedSegment decode(LibBz2 library, byte[] compressed, int length, byte[] into, int maxDecoded) {
        if (length == 0) {
            return null; // not a bzip2 stream, as the sequential decoder says too
        }
        try (Memory in = new Memory(length);
                Memory out = new Memory(maxDecoded + 1L)) {
            in.write(0, compressed, 0, length);
            long consumed = 0;
            long produced = 0;
            while (consumed < length) {
                BzStream stream = new BzStream();
                if (library.BZ2_bzDecompressInit(stream, 0, 0) != BZ_OK) {
                    return null;
                }
                try {
                    stream.nextIn = in.share(consumed);
                    stream.availIn = (int) (length - consumed);
                    stream.nextOut = out.share(produced);
                    stream.availOut = (int) (out.size() - produced);
                    int status = library.BZ2_bzDecompress(stream);
                    produced = out.size() - stream.availOut;
                    if (produced > maxDecoded) {
                        return null; // more than the bound: the sequential decoder streams it
                    }
                    if (status != BZ_STREAM_END) {
                        return null; // damage, or input that ends inside a stream
                    }
                    consumed = length - stream.availIn;
                } finally {
                    library.BZ2_bzDecompressEnd(stream);
                }
            }
            byte[] bytes = into.length > produced ? into : new byte[(int) produced];
            out.read(0, bytes, 0, (int) produced);
            return new DecodedSegment(bytes, (int) produced);
        }
    }

    @Override
    public String toString() {
        return "libbz2 " + version();
    }
}
