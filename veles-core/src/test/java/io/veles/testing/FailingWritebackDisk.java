package io.veles.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real ext4 file system whose disk fails under writeback: a loop device over a sparse image
 * that lives on a tmpfs much smaller than the image. Writes are accepted into the page cache
 * (ext4 sees plenty of free space); once the tmpfs is full, the loop device's writes to the
 * image fail and the kernel reports the writeback error (ENOSPC or EIO) to whoever waits for it:
 * {@code sync_file_range}, {@code fsync}. Needs root, loop devices, {@code losetup} and {@code
 * mkfs.ext4} (as on CI); elsewhere the test is skipped with a message, unless VELES_REQUIRE_ROOT=1.
 */
public final class FailingWritebackDisk implements AutoCloseable {
    private static final Pattern LOOP_DEVICE = Pattern.compile("/dev/loop\\d+");

    private final Tmpfs backing;
    private final String device;
    private final Path mountPoint;

    private FailingWritebackDisk(Tmpfs backing, String device, Path mountPoint) {
        this.backing = backing;
        this.device = device;
        this.mountPoint = mountPoint;
    }

    /**
     * Mounts under {@code directory} a file system of {@code diskMiB} whose writeback fails after
     * about {@code backingMiB} (less what mkfs writes, a few hundred KiB).
     */
    public static FailingWritebackDisk mount(Path directory, int backingMiB, int diskMiB)
            throws IOException, InterruptedException {
        Tmpfs backing = Tmpfs.mount(directory.resolve("backing"), backingMiB + "m");
        String device = null;
        boolean mounted = false;
        try {
            Path image = backing.path().resolve("disk.img");
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.setLength((long) diskMiB << 20); // sparse: takes tmpfs pages only as written
            }
            device = attachLoopDevice(image);
            // No journal: fewer blocks written by mkfs. errors=continue: a failed metadata write
            // must not turn the file system read-only, which would fail the test for another reason.
            ChildProcess.Result made;
            try {
                made = run("mkfs.ext4", "-q", "-F", "-O", "^has_journal", device);
            } catch (IOException e) {
                return Requirement.skipOrFail("VELES_REQUIRE_ROOT", "no mkfs.ext4 (" + e.getMessage() + ")");
            }
            requireSuccess(made);
            Path mountPoint = Files.createDirectories(directory.resolve("disk"));
            requireSuccess(run("mount", "-o", "errors=continue", device, mountPoint.toString()));
            mounted = true;
            return new FailingWritebackDisk(backing, device, mountPoint);
        } finally {
            if (!mounted) {
                if (device != null) {
                    run("losetup", "--detach", device);
                }
                backing.close();
            }
        }
    }

    /** The loop device now backed by {@code image}; skips or fails the test where there is none. */
    private static String attachLoopDevice(Path image) throws InterruptedException {
        ChildProcess.Result attached;
        try {
            attached = ChildProcess.of(List.of("losetup", "--find", "--show", image.toString()))
                    .timeout(Duration.ofSeconds(60))
                    .run();
        } catch (IOException e) {
            return Requirement.skipOrFail("VELES_REQUIRE_ROOT", "no losetup (" + e.getMessage() + ")");
        }
        Matcher device = LOOP_DEVICE.matcher(attached.output());
        if (attached.exitCode() != 0 || !device.find()) {
            return Requirement.skipOrFail(
                    "VELES_REQUIRE_ROOT",
                    "cannot attach a loop device (" + attached.stderr().trim() + ")");
        }
        return device.group();
    }

    /** Where to write: the failing file system. */
    public Path path() {
        return mountPoint;
    }

    /**
     * Unmounts lazily, as a test may still hold a file open there (a run's prefix lock), and
     * detaches the device, which the kernel then frees once the file system lets go of it.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            requireSuccess(run("umount", "-l", mountPoint.toString()));
        } finally {
            try {
                requireSuccess(run("losetup", "--detach", device));
            } finally {
                backing.close();
            }
        }
    }

    private static void requireSuccess(ChildProcess.Result result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    "the failing disk: " + result.output().trim());
        }
    }

    private static ChildProcess.Result run(String... command) throws IOException, InterruptedException {
        return ChildProcess.of(List.of(command))
                .mergeErrors()
                .timeout(Duration.ofSeconds(60))
                .run();
    }
}
