package io.veles.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.jna.LastErrorException;
import io.veles.testing.FailingWritebackDisk;
import io.veles.testing.Requirement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * {@link DurableFileOutput} and {@link DirectFileInput}: the bytes that go in come out, whatever
 * the length against the alignment and the chunk, whatever the pieces they are written and read
 * in, written behind (page cache hints), past the page cache where the file system allows it,
 * and through it where it does not; and writing behind leaves little of the file in the cache.
 */
class DirectFileTest {
    private static final int ALIGNMENT = 4096;
    /** Lengths at and around every boundary the two classes cut at. */
    private static final int[] LENGTHS = {
        0,
        1,
        ALIGNMENT - 1,
        ALIGNMENT,
        ALIGNMENT + 1,
        DurableFileOutput.CHUNK - 1,
        DurableFileOutput.CHUNK,
        DurableFileOutput.CHUNK + 1,
        DirectFileInput.CHUNK - 1,
        DirectFileInput.CHUNK,
        DirectFileInput.CHUNK + 1,
        2 * DirectFileInput.CHUNK + 12_345,
    };

    /**
     * Lengths at and around the ends of the reader's chunks, which grow from
     * {@link DirectFileInput#FIRST_CHUNK} to {@link DirectFileInput#CHUNK}: the end of the file
     * then falls on a chunk's end, or just before or after it, while they grow, while the reads
     * queued ahead grow to {@link DirectFileInput#MOST_AHEAD}, and after.
     */
    private static int[] readBoundaryLengths() {
        List<Integer> lengths = new ArrayList<>();
        int end = 0;
        int size = DirectFileInput.FIRST_CHUNK;
        for (int chunk = 1; chunk <= DirectFileInput.MOST_AHEAD + 2; chunk++) {
            end += size;
            size = Math.min(DirectFileInput.CHUNK, 4 * size);
            for (int length : new int[] {end - ALIGNMENT, end - 1, end, end + 1}) {
                lengths.add(length);
            }
        }
        return lengths.stream().mapToInt(Integer::intValue).toArray();
    }

    @TempDir
    Path dir;

    @Test
    void everyLengthRoundTripsPastThePageCache() throws IOException {
        // tmpfs takes O_DIRECT only since Linux 6.6: elsewhere (ext4, xfs) it must be taken
        boolean mustBeDirect = !"tmpfs".equals(Files.getFileStore(dir).type());
        roundTrips(
                length -> {
                    Path file = dir.resolve("direct-" + length);
                    return DurableFileOutput.createDirect(file, DirectFileInput.alignmentFor(file));
                },
                mustBeDirect);
    }

    @Test
    void everyLengthRoundTripsWritingBehind() throws IOException {
        Assumptions.assumeTrue(
                PageCacheHints.suitFileSystemOf(dir.resolve("any")),
                "no page cache hints here (not 64-bit Linux, or not ext4, xfs or btrfs)");
        roundTrips(
                length -> {
                    DurableFileOutput out = DurableFileOutput.create(dir.resolve("behind-" + length));
                    assertThat(out.isWritingBehind())
                            .as("writing %d bytes behind", length)
                            .isTrue();
                    return out;
                },
                false);
    }

    /**
     * A disk that fails under writeback after every write was accepted (a loop disk whose image
     * runs out of room): writing behind waits for each stretch's writeback, so the failure stops
     * the write at the first wait, with the kernel's word for it, not at the fsync.
     */
    @Test
    @Tag("slow") // root: mounts
    void aFailedWritebackStopsTheWriteBehindAtItsWait() throws Exception {
        try (FailingWritebackDisk disk = FailingWritebackDisk.mount(dir, 4, 512)) {
            byte[] piece = new byte[1 << 20];
            new Random(7).nextBytes(piece);
            long total = 4 * (PageCacheHints.WINDOW + PageCacheHints.STEP);
            long[] written = {0};
            try (DurableFileOutput out = DurableFileOutput.create(disk.path().resolve("behind"))) {
                assertThat(out.isWritingBehind()).isTrue();
                assertThatThrownBy(() -> {
                            for (; written[0] < total; written[0] += piece.length) {
                                out.write(piece);
                            }
                        })
                        .isInstanceOf(IOException.class)
                        .hasCauseInstanceOf(LastErrorException.class) // from the wait, not a write(2)
                        .message()
                        .matches("Input/output error|No space left on device");
            }
            // The first wait comes once a stretch lies a window behind: at most window + step in.
            assertThat(written[0])
                    .as("bytes written before the failure")
                    .isLessThanOrEqualTo(PageCacheHints.WINDOW + PageCacheHints.STEP);
        }
    }

    /**
     * The point of writing behind: a file of any size holds at most the window (plus a step and a
     * buffer) of page cache while it is written, and none once it is durable, as {@code fincore}
     * (util-linux) counts the file's resident pages.
     */
    @Test
    void writingBehindKeepsTheFileOutOfThePageCache() throws IOException, InterruptedException {
        Assumptions.assumeTrue(
                PageCacheHints.suitFileSystemOf(dir.resolve("any")),
                "no page cache hints here (not 64-bit Linux, or not ext4, xfs or btrfs)");
        long bound = PageCacheHints.WINDOW + PageCacheHints.STEP + DurableFileOutput.CHUNK;
        byte[] piece = new byte[1 << 20];
        new Random(3).nextBytes(piece);
        Path file = dir.resolve("behind-big");
        try (DurableFileOutput out = DurableFileOutput.create(file)) {
            assertThat(out.isWritingBehind()).isTrue();
            long total = 4 * bound;
            for (long at = 0; at < total; at += piece.length) {
                out.write(piece);
                if ((at + piece.length) % bound == 0) {
                    assertThat(residentBytes(file))
                            .as("cached after %d MiB written", (at + piece.length) >> 20)
                            .isLessThanOrEqualTo(bound);
                }
            }
            assertThat(out.finish()).isEqualTo(total);
        }
        assertThat(residentBytes(file)).as("cached once durable").isLessThanOrEqualTo(DurableFileOutput.CHUNK);
        assertThat(Files.size(file)).isEqualTo(4 * bound);
        try (InputStream in = DirectFileInput.open(file)) {
            for (long at = 0; at < 4 * bound; at += piece.length) {
                assertThat(in.readNBytes(piece.length))
                        .as("the MiB at %d", at >> 20)
                        .isEqualTo(piece);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aFileSystemWhereTheHintsMayNotActIsWrittenWithoutThem() throws IOException {
        // tmpfs stands for the file systems not known to act on them (overlayfs, NFS)
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(
                Files.isDirectory(shm)
                        && Files.isWritable(shm)
                        && "tmpfs".equals(Files.getFileStore(shm).type()),
                "no writable tmpfs at /dev/shm");
        Path tmpfs = Files.createTempDirectory(shm, "veles-direct-file-test");
        Path file = tmpfs.resolve("file");
        try (DurableFileOutput out = DurableFileOutput.create(file)) {
            assertThat(out.isWritingBehind()).isFalse();
            out.write(new byte[] {1, 2, 3});
            assertThat(out.finish()).isEqualTo(3);
        } finally {
            Files.deleteIfExists(file);
            Files.delete(tmpfs);
        }
    }

    private static long residentBytes(Path file) throws IOException, InterruptedException {
        Process fincore;
        try {
            fincore = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            return Requirement.skipOrFail("VELES_REQUIRE_TOOLS", "fincore (util-linux) is not installed");
        }
        String out = new String(fincore.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(fincore.waitFor()).as("fincore: %s", out).isZero();
        return Long.parseLong(out);
    }

    @Test
    void linuxTakesPageCacheHints() {
        // Without them every snapshot would silently go the slower direct way.
        Assumptions.assumeTrue(
                System.getProperty("os.name").startsWith("Linux")
                        && System.getProperty("os.arch").contains("64"),
                "page cache hints are 64-bit Linux calls");
        if (!PageCacheHints.available()) {
            Requirement.skipOrFail("VELES_REQUIRE_TOOLS", "sync_file_range did not load through JNA");
        }
    }

    @Test
    void writesTheKernelRefusesGoThroughThePageCacheInstead() throws IOException {
        // Padding the last write to 1 byte makes it unaligned: the kernel refuses it (EINVAL)
        // where it took the open and the whole chunks before.
        Assumptions.assumeFalse("tmpfs".equals(Files.getFileStore(dir).type()), "tmpfs pads nothing");
        Random random = new Random(5);
        byte[] content = new byte[DurableFileOutput.CHUNK + 4097];
        random.nextBytes(content);
        Path file = dir.resolve("refused");
        try (DurableFileOutput out = DurableFileOutput.createDirect(file, 1)) {
            assertThat(out.isDirect()).isTrue();
            writeInPieces(out, content, random);
            assertThat(out.finish()).isEqualTo(content.length);
            assertThat(out.isDirect()).as("direct after the refused write").isFalse();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void aFileSystemWithoutDirectIoIsReadThroughThePageCache() throws IOException {
        // procfs refuses O_DIRECT at open
        Path status = Path.of("/proc/self/status");
        Assumptions.assumeTrue(Files.isReadable(status), "no /proc to try a file system without O_DIRECT on");
        try (InputStream in = DirectFileInput.open(status)) {
            assertThat(DirectFileInput.isDirect(in)).isFalse();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).contains("Pid:");
        }
    }

    private interface Creation {
        DurableFileOutput create(int length) throws IOException;
    }

    private static void roundTrips(Creation creation, boolean mustBeDirect) throws IOException {
        Random random = new Random(17);
        for (int length : IntStream.concat(IntStream.of(LENGTHS), IntStream.of(readBoundaryLengths()))
                .toArray()) {
            byte[] content = new byte[length];
            random.nextBytes(content);
            Path file;
            long written;
            try (DurableFileOutput out = creation.create(length)) {
                if (mustBeDirect) {
                    assertThat(out.isDirect())
                            .as("direct write of %d bytes", length)
                            .isTrue();
                }
                writeInPieces(out, content, random);
                written = out.finish();
                if (mustBeDirect) {
                    assertThat(out.isDirect())
                            .as("still direct after %d bytes", length)
                            .isTrue();
                }
                file = out.file();
            }
            assertThat(written).isEqualTo(length);
            assertThat(Files.size(file)).as("size after %d bytes", length).isEqualTo(length);
            assertThat(Files.readAllBytes(file))
                    .as("content of %d bytes", length)
                    .isEqualTo(content);
            try (InputStream in = DirectFileInput.open(file)) {
                if (mustBeDirect) {
                    assertThat(DirectFileInput.isDirect(in))
                            .as("direct read of %d bytes", length)
                            .isTrue();
                }
                assertThat(readInPieces(in, random))
                        .as("read back %d bytes", length)
                        .isEqualTo(content);
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    /** Single bytes, small arrays and flushes (which must write nothing early) mixed. */
    private static void writeInPieces(DurableFileOutput out, byte[] content, Random random) throws IOException {
        int at = 0;
        while (at < content.length) {
            if (random.nextInt(8) == 0) {
                out.write(content[at++]);
                out.flush();
                continue;
            }
            int n = Math.min(
                    content.length - at, 1 + random.nextInt(3 * ALIGNMENT + 7) * (random.nextBoolean() ? 1 : 300));
            out.write(content, at, n);
            at += n;
        }
    }

    private static byte[] readInPieces(InputStream in, Random random) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] piece = new byte[2 * DirectFileInput.CHUNK];
        while (true) {
            if (random.nextInt(8) == 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                read.write(b);
                continue;
            }
            int n = in.read(piece, 0, 1 + random.nextInt(piece.length));
            if (n < 0) {
                break;
            }
            read.write(piece, 0, n);
        }
        return read.toByteArray();
    }

    /**
     * A stream closed while reads are queued ahead says so at the next read that needs a chunk,
     * as a closed file does: it neither serves the chunks read ahead nor waits for the reads the
     * closed thread dropped, which would never come.
     */
    @Test
    void aReadAfterCloseFailsAsClosed() throws IOException {
        Path file = dir.resolve("queued");
        Files.write(file, new byte[3 * DirectFileInput.CHUNK]);
        InputStream in = DirectFileInput.open(file);
        Assumptions.assumeTrue(DirectFileInput.isDirect(in), "no O_DIRECT on this file system");
        byte[] piece = new byte[64 << 10];
        for (long read = 0; read < 2 * DirectFileInput.CHUNK; ) {
            read += in.read(piece);
        }
        in.close();
        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    while (true) {
                        in.read(piece); // the chunk being served may still give bytes
                    }
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("stream closed");
    }

    @Test
    void aMissingFileAndATakenNameFailAsTheyWouldWithoutDirectIo() throws IOException {
        assertThatThrownBy(() -> DirectFileInput.open(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
        Path taken = Files.write(dir.resolve("taken"), new byte[] {7});
        assertThatThrownBy(() -> DurableFileOutput.create(taken)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(taken)).containsExactly(7);
    }
}
