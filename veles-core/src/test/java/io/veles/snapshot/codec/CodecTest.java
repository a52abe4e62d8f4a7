package io.veles.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

class CodecTest {
    @TempDir
    Path dir;

    /** Half text-like (compressible), half random bytes. */
    private static byte[] sample(int size, long seed) {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        for (int i = 0; i < size / 2; i++) {
            data[i] = (byte) "the quick brown fox jumps over the lazy dog ".charAt(i % 44);
        }
        byte[] noise = new byte[size - size / 2];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, data, size / 2, noise.length);
        return data;
    }

    private static byte[] compress(Codec codec, int level, byte[] data, int piece) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = codec.compress(sink, level)) {
            for (int offset = 0; offset < data.length; offset += piece) {
                out.write(data, offset, Math.min(piece, data.length - offset));
            }
        }
        return sink.toByteArray();
    }

    private static byte[] decompress(Codec codec, byte[] compressed) throws IOException {
        try (InputStream in = codec.decompress(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void roundTripsAtEveryEndOfItsLevelRange(Codec codec) throws IOException {
        byte[] data = sample(300_000, 1);
        for (int level : new int[] {-1, codec.minLevel(), codec.maxLevel()}) {
            assertThat(decompress(codec, compress(codec, level, data, 4093))).isEqualTo(data);
        }
        assertThat(decompress(codec, compress(codec, -1, new byte[0], 1))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void roundTrips20MiBWrittenInOddPieces(Codec codec) throws IOException {
        byte[] data = sample(20 << 20, 2);
        int level = codec == Codec.XZ || codec == Codec.BZIP2 ? codec.minLevel() : -1;
        assertThat(decompress(codec, compress(codec, level, data, 1_000_003))).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void concatenatedStreamsReadAsOne(Codec codec) throws IOException {
        byte[] first = sample(100_000, 3);
        byte[] second = sample(70_000, 4);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(compress(codec, -1, first, 8192));
        joined.write(compress(codec, -1, second, 8192));
        byte[] expected = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, expected, first.length, second.length);
        assertThat(decompress(codec, joined.toByteArray())).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void theStandardToolReadsOursAndWeReadTheTools(Codec codec) throws IOException {
        byte[] data = sample(500_000, 5);
        Path ours = dir.resolve("ours" + codec.extension());
        Files.write(ours, compress(codec, -1, data, 65536));
        StandardTools.assertToolAccepts(codec, ours);
        assertThat(StandardTools.decompressWithTool(codec, ours)).isEqualTo(data);

        Path raw = dir.resolve("raw");
        Path theirs = dir.resolve("theirs" + codec.extension());
        Files.write(raw, data);
        StandardTools.compressWithTool(codec, raw, theirs);
        assertThat(decompress(codec, Files.readAllBytes(theirs))).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void detectedFromItsOwnBytesOnly(Codec codec) throws IOException {
        byte[] compressed = compress(codec, -1, sample(1000, 6), 100);
        assertThat(Codec.detect(compressed, compressed.length)).contains(codec);
        assertThat(Codec.detect(compressed, 1))
                .as("one byte is too short to tell")
                .isEmpty();
    }

    @Test
    void randomBytesAndShortInputsAreNotDetected() {
        byte[] noise = sample(64, 7);
        Arrays.fill(noise, 0, 16, (byte) 0x41);
        assertThat(Codec.detect(noise, noise.length)).isEmpty();
        assertThat(Codec.detect(new byte[0], 0)).isEmpty();
        assertThat(Codec.detect(new byte[] {0x1f}, 1)).isEmpty();
        assertThat(Codec.detect(new byte[] {'B', 'Z', 'h', '0'}, 4))
                .as("bzip2 block size 0 does not exist")
                .isEmpty();
    }

    /**
     * Every codec notices a truncated stream: it throws, or (snappy's framing and LZ4 cut at a
     * chunk boundary, which their formats cannot tell from an end) yields a strict prefix. The
     * snapshot container's length and trailer catch the second case.
     */
    @ParameterizedTest
    @EnumSource(value = Codec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void truncationEndsInAnErrorOrAShorterPrefix(Codec codec) throws IOException {
        byte[] data = sample(400_000, 8);
        byte[] compressed = compress(codec, -1, data, 65536);
        for (int cut : new int[] {3, 9, compressed.length / 3, compressed.length / 2, compressed.length - 1}) {
            byte[] truncated = Arrays.copyOf(compressed, cut);
            try {
                byte[] out = decompress(codec, truncated);
                assertThat(out.length).as("%s cut at %d", codec, cut).isLessThan(data.length);
                assertThat(out).isEqualTo(Arrays.copyOf(data, out.length));
            } catch (EOFException expected) {
                // the codec's own "ends early", whatever its words
                assertThat(expected).isNotNull();
            }
        }
    }

    @Test
    void namesLevelsAndExtensions() {
        assertThat(Codec.fromArgument("")).isEqualTo(Codec.NONE);
        assertThat(Codec.fromArgument(null)).isEqualTo(Codec.NONE);
        assertThat(Codec.fromArgument("none")).isEqualTo(Codec.NONE);
        assertThat(Codec.fromArgument("GZ")).isEqualTo(Codec.GZIP);
        assertThat(Codec.fromArgument("gzip")).isEqualTo(Codec.GZIP);
        assertThat(Codec.fromArgument("bz2")).isEqualTo(Codec.BZIP2);
        assertThat(Codec.fromArgument("lzma")).isEqualTo(Codec.XZ);
        assertThat(Codec.fromArgument("zstd")).isEqualTo(Codec.ZSTD);
        assertThatThrownBy(() -> Codec.fromArgument("rar"))
                .isInstanceOf(SnapshotException.class)
                .hasMessage("unknown compression 'rar' (expected one of: none, snappy, gz, bz2, xz, zst, lz4)");
        assertThat(Codec.GZIP.checkLevel(-1)).isEqualTo(6);
        assertThat(Codec.ZSTD.checkLevel(22)).isEqualTo(22);
        assertThatThrownBy(() -> Codec.GZIP.checkLevel(12))
                .hasMessage("compression level 12 is out of range for gz (1-9)");
        assertThatThrownBy(() -> Codec.SNAPPY.checkLevel(3)).hasMessage("snappy has no compression levels");
        assertThat(Codec.fromFileName("walk_00001.xz")).isEqualTo(Codec.XZ);
        assertThat(Codec.fromFileName("walk_current")).isEqualTo(Codec.NONE);
        assertThat(Codec.fromFileName("walk_1.snappy")).isEqualTo(Codec.SNAPPY);
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void blocksCompressedInParallelAreOneStreamForTheStandardTool(Codec codec) throws IOException {
        byte[] data = sample((10 << 20) + 12345, 5); // three blocks
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = codec.compress(sink, codec == Codec.XZ ? 1 : -1, 2)) {
            out.write(data);
        }
        Path file = dir.resolve("blocks" + codec.extension());
        Files.write(file, sink.toByteArray());
        assertThat(decompress(codec, sink.toByteArray())).isEqualTo(data);
        assertThat(StandardTools.decompressWithTool(codec, file)).isEqualTo(data); // skips only where allowed
    }

    /**
     * Output buffers are reused from block to block: a block of zeros compressed into the buffer
     * of a block of noise (larger, and full of its bytes) still writes exactly its own bytes.
     */
    @ParameterizedTest // the codecs that write into the buffer in place, and one through a stream (bz2 and xz alike)
    @EnumSource(
            value = Codec.class,
            names = {"GZIP", "ZSTD", "LZ4", "SNAPPY"})
    void reusedBlockBuffersWriteEachBlockWhole(Codec codec) throws IOException {
        int block = 4 << 20;
        // noise, noise, zeros, zeros, a tail of noise; on 2 threads 3 blocks are in flight, so
        // the fourth block (zeros) takes the first one's buffer
        byte[] data = new byte[4 * block + 777];
        byte[] noise = new byte[2 * block];
        new java.util.Random(11).nextBytes(noise);
        System.arraycopy(noise, 0, data, 0, 2 * block);
        System.arraycopy(noise, 0, data, 4 * block, 777);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = codec.compress(sink, -1, 2)) {
            out.write(data);
        }
        assertThat(decompress(codec, sink.toByteArray())).isEqualTo(data);
        Path file = dir.resolve("reused" + codec.extension());
        Files.write(file, sink.toByteArray());
        assertThat(StandardTools.decompressWithTool(codec, file)).isEqualTo(data);
    }

    /** Parallel lz4 blocks are written without LZ4FrameOutputStream: the bytes must stay its frames. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1000, 9 << 20})
    void lz4BlocksAreTheFramesOfTheLz4Stream(int size) throws IOException {
        byte[] data = sample(size, 7); // text-like, then random: a stored block at 9 MiB
        for (int level : new int[] {1, 9}) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            try (OutputStream out = Codec.LZ4.open(stream, level)) {
                out.write(data);
            }
            BlockBuffer block = new BlockBuffer(16);
            Codec.LZ4.compressBlock(data, data.length, level, block);
            assertThat(java.util.Arrays.copyOf(block.array(), block.size())).isEqualTo(stream.toByteArray());
        }
    }

    @Test
    void gzipMembersRecordTheirLengthAndDamageIsFound() throws IOException {
        byte[] data = sample(9 << 20, 6);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = Codec.GZIP.compress(sink, 6, 2)) {
            out.write(data);
        }
        byte[] gz = sink.toByteArray();
        int first = GzipMembers.getIntLE(gz, 16);
        assertThat(gz[first])
                .as("a second member follows the first's recorded length")
                .isEqualTo((byte) 0x1f);
        assertThat(GzipMembers.getIntLE(gz, first + 16) + first).isLessThan(gz.length);

        byte[] damaged = gz.clone();
        damaged[first + 1000] ^= 0x55;
        assertThatThrownBy(() -> decompress(Codec.GZIP, damaged))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt gzip member 2");
        byte[] truncated = Arrays.copyOf(gz, gz.length - 10);
        assertThatThrownBy(() -> decompress(Codec.GZIP, truncated)).isInstanceOf(IOException.class);
    }

    /** A sink failing as the single-stream codec flushes on close still gets closed, and the codec with it. */
    @ParameterizedTest
    @EnumSource(
            value = Codec.class,
            names = {"NONE"},
            mode = EnumSource.Mode.EXCLUDE)
    void aSinkThatFailsOnTheLastFlushIsClosedAllTheSame(Codec codec) throws IOException {
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full (injected)");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full (injected)");
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        OutputStream out;
        try {
            out = codec.compress(failing, -1, 1);
        } catch (IOException header) {
            return; // a codec whose stream begins with a header fails at once: nothing opened to close
        }
        try {
            out.write(new byte[100]);
        } catch (IOException early) {
            // a codec whose stream header is written at once fails here; close must still close
        }
        assertThatThrownBy(out::close).isInstanceOf(IOException.class);
        assertThat(closed).as("the sink, closed through the codec's stream").isTrue();
    }
}
