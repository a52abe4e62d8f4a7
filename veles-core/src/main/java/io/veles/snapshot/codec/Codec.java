package io.veles.snapshot.codec;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.veles.errors.SnapshotException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * The compressions a snapshot can use, by the values of VELES's {@code compression} argument.
 * Each writes a plain stream of its format that the format's standard tool reads ({@code gzip},
 * {@code bzip2}, {@code xz}, {@code zstd}, {@code lz4}, a Snappy framing-format reader), and each
 * reader accepts concatenated members, streams or frames, as those tools do.
 */
public enum Codec {
    /** No compression: the snapshot container as it is. */
    NONE("none", "", 0, 0, 0) {
        @Override
        OutputStream open(OutputStream sink, int level) {
            return new FilterOutputStream(sink) {
                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    out.write(bytes, offset, length);
                }
            };
        }

        @Override
        public InputStream decompress(InputStream source) {
            return source;
        }
    },

    /** Snappy's framing format (CRC32C per chunk), as snzip and python-snappy read. */
    SNAPPY("snappy", ".snappy", 0, 0, 0) {
        @Override
        OutputStream open(OutputStream sink, int level) throws IOException {
            return new SnappyFramedOutputStream(sink);
        }

        @Override
        public InputStream decompress(InputStream source) throws IOException {
            return new ParallelSnappyInputStream(source, Runtime.getRuntime().availableProcessors());
        }
    },

    /** gzip (Deflate), VELES's default. */
    GZIP("gz", ".gz", 1, 9, 6) {
        @Override
        OutputStream open(OutputStream sink, int level) throws IOException {
            return new GZIPOutputStream(sink, BUFFER) {
                {
                    def.setLevel(level);
                }
            };
        }

        @Override
        void compressBlock(byte[] block, int length, int level, BlockBuffer out) {
            GzipMembers.compress(block, length, level, out);
        }

        @Override
        public InputStream decompress(InputStream source) throws IOException {
            return new ParallelGzipInputStream(source, Runtime.getRuntime().availableProcessors());
        }
    },

    /** bzip2; the level is the block size in 100 kB units, as for the bzip2 tool. */
    BZIP2("bz2", ".bz2", 1, 9, 9) {
        @Override
        OutputStream open(OutputStream sink, int level) throws IOException {
            return new BZip2CompressorOutputStream(sink, level);
        }

        @Override
        void compressBlock(byte[] block, int length, int level, BlockBuffer out) throws IOException {
            Bzip2Engine.best().compress(block, length, level, out); // libbz2 where it loads
        }

        @Override
        public InputStream decompress(InputStream source) throws IOException {
            return new ParallelBzip2InputStream(source, Runtime.getRuntime().availableProcessors());
        }
    },

    /** xz (LZMA2) with a CRC64 check, as the xz tool writes by default. */
    XZ("xz", ".xz", 0, 9, 6) {
        @Override
        OutputStream open(OutputStream sink, int level) throws IOException {
            try {
                return new XZOutputStream(sink, new LZMA2Options(level), XZ_CACHE);
            } catch (UnsupportedOptionsException e) {
                throw new SnapshotException("xz cannot use level " + level, e);
            }
        }

        @Override
        void compressBlock(byte[] block, int length, int level, BlockBuffer out) throws IOException {
            // A dictionary larger than the block is never used, yet costs its size ten times over
            // in encoder memory (94 MiB at level 6): cap it, and reuse buffers across blocks.
            LZMA2Options options;
            try {
                options = new LZMA2Options(level);
                options.setDictSize(Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(options.getDictSize(), length)));
            } catch (UnsupportedOptionsException e) {
                throw new SnapshotException("xz cannot use level " + level, e);
            }
            try (XZOutputStream xz = new XZOutputStream(out, options, XZ_CACHE)) {
                xz.write(block, 0, length);
            }
        }

        @Override
        public InputStream decompress(InputStream source) throws IOException {
            return TruncationAwareDecoder.of(source, input -> new XZInputStream(input, XZ_MEMORY_LIMIT_KIB, XZ_CACHE));
        }
    },

    /** Zstandard frames with content checksums. */
    ZSTD("zst", ".zst", 1, 22, 3) {
        @Override
        OutputStream open(OutputStream sink, int level) throws IOException {
            ZstdOutputStream out = new ZstdOutputStream(sink, level);
            out.setChecksum(true);
            return out;
        }

        @Override
        void compressBlock(byte[] block, int length, int level, BlockBuffer out) {
            ZstdFrames.compress(block, length, level, out);
        }

        @Override
        public InputStream decompress(InputStream source) throws IOException {
            return TruncationAwareDecoder.of(source, ZstdInputStream::new);
        }
    },

    /**
     * LZ4 frames with content checksums. Levels as the lz4 tool: 1 and 2 the fast compressor,
     * 3 to 12 the high-compression one at that level.
     */
    LZ4("lz4", ".lz4", 1, 12, 1) {
        @Override
        OutputStream open(OutputStream sink, int level) throws IOException {
            return new LZ4FrameOutputStream(
                    sink,
                    LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB,
                    -1,
                    lz4Compressor(level),
                    XXHashFactory.fastestInstance().hash32(),
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                    LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
        }

        @Override
        void compressBlock(byte[] block, int length, int level, BlockBuffer out) {
            // The same frame as open() writes, in one pass with no stream buffers (see Lz4Frames).
            Lz4Frames.compress(
                    lz4Compressor(level), XXHashFactory.fastestInstance().hash32(), block, length, out);
        }

        @Override
        public InputStream decompress(InputStream source) throws IOException {
            return TruncationAwareDecoder.of(source, LZ4FrameInputStream::new);
        }
    };

    /** LZ4's compressor at {@code level}, from the fastest implementation here (JNI when it loads). */
    private static LZ4Compressor lz4Compressor(int level) {
        LZ4Factory lz4 = LZ4Factory.fastestInstance();
        return level <= 2 ? lz4.fastCompressor() : lz4.highCompressor(level);
    }

    /** xz's encoder and decoder buffers, reused from block to block (thread-safe). */
    private static final ArrayCache XZ_CACHE = BasicArrayCache.getInstance();

    /**
     * The most memory an xz stream may ask of the decoder, in KiB. Ours use at most level 9's
     * 64 MiB dictionary; a header may claim up to 4 GiB, which the decoder would allocate before
     * reading a byte of data (a 24-byte file asked 1.5 GiB).
     */
    static final int XZ_MEMORY_LIMIT_KIB = 128 << 10;

    /** Bytes that {@link #detect} looks at. */
    public static final int MAGIC_LENGTH = 10;

    private static final int BUFFER = 1 << 16;
    private static final byte[] SNAPPY_STREAM_ID = {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'};

    private final String argument;
    private final String extension;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    Codec(String argument, String extension, int minLevel, int maxLevel, int defaultLevel) {
        this.argument = argument;
        this.extension = extension;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    /** Opens the codec's output over {@code sink}, at a level already checked. */
    abstract OutputStream open(OutputStream sink, int level) throws IOException;

    /**
     * A stream of decompressed bytes read from {@code source}, across concatenated members,
     * streams or frames; closing it closes {@code source}.
     */
    public abstract InputStream decompress(InputStream source) throws IOException;

    /**
     * A stream that compresses into {@code sink} at {@code level} (negative: the default) on every
     * core; its close() finishes the codec's stream and closes {@code sink}.
     */
    public OutputStream compress(OutputStream sink, int level) throws IOException {
        return compress(sink, level, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As {@link #compress(OutputStream, int)} on {@code threads} threads. With more than one, the
     * data is cut into independent blocks ({@link ParallelBlockOutputStream}); with one, it is a
     * single stream of the codec.
     */
    public OutputStream compress(OutputStream sink, int level, int threads) throws IOException {
        return compress(sink, level, CompressionThreads.fixed(threads));
    }

    /**
     * As {@link #compress(OutputStream, int, int)}, keeping at most {@code threads.allowed()}
     * threads busy at any moment, a number that may rise while it runs. With {@code threads.most()}
     * above one the data is cut into blocks, however many threads end up compressing them.
     */
    public OutputStream compress(OutputStream sink, int level, CompressionThreads threads) throws IOException {
        int checked = checkLevel(level);
        if (this == NONE) {
            return open(sink, checked);
        }
        if (threads.most() > 1) {
            return new ParallelBlockOutputStream(
                    sink,
                    (block, length, out) -> compressBlock(block, length, checked, out),
                    threads,
                    ParallelBlockOutputStream.BLOCK_BYTES);
        }
        // Small writes (headers, Kryo flushes) are gathered before reaching the codec.
        return new BufferedOutputStream(open(sink, checked), BUFFER) {
            @Override
            public void flush() {
                // Not passed on: a codec that ended a block at each of Kryo's flushes would lose ratio.
            }

            @Override
            public void close() throws IOException {
                try {
                    super.flush();
                } catch (IOException | RuntimeException e) {
                    // closed all the same: the codec's native context is freed now, not by a
                    // finalizer; and the sink, which a codec failing to end its stream leaves open
                    for (java.io.Closeable closeable : new java.io.Closeable[] {out, sink}) {
                        try {
                            closeable.close();
                        } catch (IOException | RuntimeException closing) {
                            e.addSuppressed(closing);
                        }
                    }
                    throw e;
                }
                out.close();
            }
        };
    }

    /**
     * Writes {@code length} bytes of {@code block} into the empty {@code out} as one self-contained
     * member, stream or frame of this codec.
     */
    void compressBlock(byte[] block, int length, int level, BlockBuffer out) throws IOException {
        try (OutputStream codec = open(out, level)) {
            codec.write(block, 0, length);
        }
    }

    /** VELES's argument value: none, snappy, gz, bz2, xz, zst, lz4. */
    public String argument() {
        return argument;
    }

    /** The file extension, dot included; empty for {@link #NONE}. */
    public String extension() {
        return extension;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    public boolean hasLevels() {
        return maxLevel > minLevel;
    }

    /**
     * A level the user gave: as {@link #checkLevel}, but a negative one is refused (inside, -1
     * stands for the default; typed, it is a mistake).
     */
    public int checkGivenLevel(int level) {
        if (level < 0) {
            throw new SnapshotException("compression level " + level + " is out of range for " + argument
                    + (hasLevels() ? " (" + minLevel + "-" + maxLevel + ")" : ", which has no compression levels"));
        }
        return checkLevel(level);
    }

    /** The effective level: the default for a negative one; refused when out of range. */
    public int checkLevel(int level) {
        if (level < 0) {
            return defaultLevel;
        }
        if (!hasLevels() && level != defaultLevel) {
            throw new SnapshotException(argument + " has no compression levels");
        }
        if (level < minLevel || level > maxLevel) {
            throw new SnapshotException("compression level " + level + " is out of range for " + argument + " ("
                    + minLevel + "-" + maxLevel + ")");
        }
        return level;
    }

    /**
     * The codec a user names: VELES's values ({@code ""}/none, snappy, gz, bz2, xz, plus zst
     * and lz4), or the long names gzip, bzip2, lzma, zstd; case does not matter.
     */
    public static Codec fromArgument(String value) {
        String name = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "":
            case "none":
                return NONE;
            case "snappy":
                return SNAPPY;
            case "gz":
            case "gzip":
                return GZIP;
            case "bz2":
            case "bzip2":
                return BZIP2;
            case "xz":
            case "lzma":
                return XZ;
            case "zst":
            case "zstd":
                return ZSTD;
            case "lz4":
                return LZ4;
            default:
                throw new SnapshotException(
                        "unknown compression '" + value + "' (expected one of: none, snappy, gz, bz2, xz, zst, lz4)");
        }
    }

    /** The codec whose extension ends {@code fileName}; NONE when none does. */
    public static Codec fromFileName(String fileName) {
        for (Codec codec : values()) {
            if (codec != NONE && fileName.endsWith(codec.extension)) {
                return codec;
            }
        }
        return NONE;
    }

    /** The compressed format whose magic number {@code head} starts with, if any. */
    public static Optional<Codec> detect(byte[] head, int length) {
        if (startsWith(head, length, 0x1f, 0x8b)) {
            return Optional.of(GZIP);
        }
        if (startsWith(head, length, 'B', 'Z', 'h') && length > 3 && head[3] >= '1' && head[3] <= '9') {
            return Optional.of(BZIP2);
        }
        if (startsWith(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return Optional.of(XZ);
        }
        if (startsWith(head, length, 0x28, 0xb5, 0x2f, 0xfd)
                || (length >= 4
                        && (head[0] & 0xf0) == 0x50
                        && startsWith(head, length, head[0] & 0xff, 0x2a, 0x4d, 0x18))) {
            return Optional.of(ZSTD); // a frame, or a skippable frame 0x184D2A5?
        }
        if (startsWith(head, length, 0x04, 0x22, 0x4d, 0x18)) {
            return Optional.of(LZ4);
        }
        if (length >= SNAPPY_STREAM_ID.length
                && java.util.Arrays.equals(
                        head, 0, SNAPPY_STREAM_ID.length, SNAPPY_STREAM_ID, 0, SNAPPY_STREAM_ID.length)) {
            return Optional.of(SNAPPY);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
