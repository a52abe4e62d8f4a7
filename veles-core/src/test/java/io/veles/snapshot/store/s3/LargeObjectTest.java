package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.BigRoundTrip;
import io.veles.testing.ChildProcess;
import io.veles.testing.FreshJvm;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * A 4 GiB snapshot streamed into S3 and read back in a child JVM with a 256 MiB heap, configured
 * only through the SDK's standard environment variables. Takes minutes and 4 GiB of the server's
 * disk, so it runs only with {@code VELES_BIG_TESTS=1} (as on CI); {@code VELES_BIG_TEST_BYTES}
 * sets another size.
 */
@Tag("slow")
class LargeObjectTest {
    private static final long SIZE =
            Long.parseLong(System.getenv().getOrDefault("VELES_BIG_TEST_BYTES", String.valueOf(4L << 30)));

    @Test
    void aFourGibSnapshotStreamsThroughS3InA256MibHeap() throws Exception {
        if (!"1".equals(System.getenv("VELES_BIG_TESTS"))) {
            Assumptions.abort("the " + (SIZE >> 20) + " MiB S3 test runs with VELES_BIG_TESTS=1 (as on CI)");
        }
        try (TestS3 s3 = TestS3.freshBucket()) {
            ChildProcess.Result result = ChildProcess.of(FreshJvm.command(
                            List.of("-Xmx256m"),
                            BigRoundTrip.class,
                            "s3",
                            "s3://" + s3.bucket() + "/big",
                            String.valueOf(SIZE)))
                    .with(s3.environment())
                    .mergeErrors()
                    .timeout(Duration.ofMinutes(30))
                    .run();
            List<String> lines = result.output().lines().toList();
            System.out.println("S3: " + String.join(" | ", lines));
            assertThat(result.exitCode()).as(String.join("\n", lines)).isZero();
            assertThat(lines).anyMatch(line -> line.startsWith("ok " + SIZE + " "));
        }
    }
}
