package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.BigObjectRoundTrip;
import io.veles.testing.FreshJvm;
import io.veles.testing.TestS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4 GiB snapshot streamed into S3 and read back in a child JVM with a 256 MiB heap, configured
 * only through the SDK's standard environment variables. Takes minutes and 4 GiB of the server's
 * disk, so it runs only with {@code VELES_BIG_TESTS=1} (as on CI); {@code VELES_BIG_TEST_BYTES}
 * sets another size.
 */
@Tag("slow")
class LargeObjectTest {
    private static final long SIZE = Long.parseLong(System.getenv().getOrDefault("VELES_BIG_TEST_BYTES",
            String.valueOf(4L << 30)));

    @TempDir
    Path dir;

    @Test
    void aFourGibSnapshotStreamsThroughS3InA256MibHeap() throws Exception {
        if (!"1".equals(System.getenv("VELES_BIG_TESTS"))) {
            String message = "skipped: the " + (SIZE >> 20) + " MiB S3 test runs with VELES_BIG_TESTS=1 (as on CI)";
            System.out.println(message);
            Assumptions.abort(message);
        }
        try (TestS3 s3 = TestS3.freshBucket()) {
            Path output = dir.resolve("output.txt");
            ProcessBuilder builder = new ProcessBuilder(FreshJvm.command(List.of("-Xmx256m"), BigObjectRoundTrip.class,
                    "s3://" + s3.bucket() + "/big", String.valueOf(SIZE)))
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(s3.environment());
            Process process = builder.start();
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("no result in 30 minutes: " + Files.readString(output));
            }
            List<String> lines = Files.readAllLines(output);
            System.out.println("S3: " + String.join(" | ", lines));
            assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
            assertThat(lines).anyMatch(line -> line.startsWith("ok " + SIZE + " "));
        }
    }
}
