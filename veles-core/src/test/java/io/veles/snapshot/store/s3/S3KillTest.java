package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.testing.FreshJvm;
import io.veles.testing.S3KillableWriter;
import io.veles.testing.TestDepth;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Writers killed with SIGKILL at varied moments of their uploads, twelve times over one prefix
 * (five by default, see {@link TestDepth}):
 * afterwards every visible object is a whole snapshot that verifies, {@code _current} names one
 * that verifies, and what the killed uploads left is invisible and reclaimed by
 * {@link ObjectStore#abortStaleUploads}.
 */
@Tag("slow")
class S3KillTest {
    @Test
    void killedWritersLeaveOnlyWholeSnapshotsAndAPointerToOne() throws Exception {
        Random random = new Random(42);
        int kills = TestDepth.repetitions("S3KillTest", "SIGKILLs", 5, 12);
        try (TestS3 s3 = TestS3.freshBucket()) {
            for (int kill = 0; kill < kills; kill++) {
                ProcessBuilder builder = new ProcessBuilder(FreshJvm.command(
                                List.of("-Xmx256m"), S3KillableWriter.class, "s3://" + s3.bucket() + "/runs"))
                        .redirectErrorStream(true);
                builder.environment().putAll(s3.environment());
                Process writer = builder.start();
                BufferedReader output =
                        new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
                String first = output.readLine();
                assertThat(first).as("the writer started").isEqualTo("writing");
                if (kill == 0) {
                    assertThat(output.readLine())
                            .as("the first writer's first snapshot")
                            .startsWith("wrote ");
                }
                Thread.sleep(200 + random.nextInt(3000)); // mid-part, mid-completion or between snapshots
                writer.destroyForcibly();
                assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            try (ObjectStore store = ObjectStore.open(s3.location("runs"), s3.options())) {
                List<StoredSnapshot> snapshots = TestS3.settledListing(store);
                assertThat(snapshots)
                        .as("the writers wrote something before their kills")
                        .isNotEmpty();
                for (StoredSnapshot snapshot : snapshots) {
                    assertVerifies(store, snapshot);
                }
                StoredSnapshot current = store.current("run").orElseThrow();
                assertThat(snapshots).contains(current);
                assertVerifies(store, current);
                int aborted = store.abortStaleUploads(Duration.ZERO);
                System.out.println(kills + " writers killed: " + snapshots.size() + " whole snapshots, " + aborted
                        + " orphaned uploads aborted");
                assertThat(s3.admin()
                                .listMultipartUploads(request -> request.bucket(s3.bucket()))
                                .uploads())
                        .isEmpty();
            }
        }
    }

    private static void assertVerifies(ObjectStore store, StoredSnapshot snapshot) throws Exception {
        try (InputStream in = store.open(snapshot);
                SnapshotReader reader = SnapshotReader.open(in, snapshot.location())) {
            assertThat(reader.verify()).as(snapshot.location()).isPositive();
        }
    }
}
