package io.veles.testing;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real, small tmpfs file system mounted for a test, to fill it up or make it read-only. Needs
 * root (as on CI); elsewhere the test is skipped with a message, unless VELES_REQUIRE_ROOT=1.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    public static Tmpfs mount(Path mountPoint, String size) throws IOException, InterruptedException {
        return mount(mountPoint, size, "");
    }

    /** Mounts with more options, e.g. {@code strictatime} so that every read shows in a file's access time. */
    public static Tmpfs mount(Path mountPoint, String size, String options) throws IOException, InterruptedException {
        java.nio.file.Files.createDirectories(mountPoint);
        String all = "size=" + size + (options.isEmpty() ? "" : "," + options);
        if (run("mount", "-t", "tmpfs", "-o", all, "tmpfs", mountPoint.toString()) != 0) {
            Requirement.skipOrFail(
                    "VELES_REQUIRE_ROOT", "cannot mount a tmpfs (needs root); file-system fault tests skipped");
        }
        return new Tmpfs(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    public void remountReadOnly() throws IOException, InterruptedException {
        Assertions.assertEquals(0, run("mount", "-o", "remount,ro", mountPoint.toString()));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", mountPoint.toString());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return ChildProcess.of(List.of(command))
                .mergeErrors()
                .timeout(Duration.ofSeconds(30))
                .run()
                .exitCode();
    }
}
