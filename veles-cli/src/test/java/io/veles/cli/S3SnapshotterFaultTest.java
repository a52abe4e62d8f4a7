package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.store.StoredSnapshot;
import io.veles.snapshot.store.s3.ObjectStore;
import io.veles.testing.S3ProxyProcess;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The S3 server of a run dies mid-run and comes back: under {@code snapshotter.on_failure=warn}
 * the run logs one line naming the failure and goes on, and its next snapshot after the restart
 * is written and verifies. The server is a private s3proxy, so the shared one is never harmed.
 */
@Tag("slow")
class S3SnapshotterFaultTest {
    private static final String WARNING = "snapshot failed, the run goes on (snapshotter.on_failure=warn): ";

    @TempDir
    Path dir;

    @Test
    void aServerKilledMidRunIsWarnedAboutAndTheSnapshotAfterItsRestartSucceeds() throws Exception {
        TestS3.freshBucket().close(); // skips or fails, as every S3 test, when there is no server to test against
        Path serverData = Files.createDirectory(dir.resolve("server"));
        try (S3ProxyProcess server = S3ProxyProcess.start(serverData);
                S3Client admin = TestS3.client(server.endpoint())) {
            admin.createBucket(request -> request.bucket("faults"));
            S3Veles veles = S3Veles.on(server.endpoint(), "faults");
            VelesProcess run = veles.start(
                    dir,
                    "run",
                    "walk",
                    "walk.walkers=300000",
                    "walk.iterations=100000",
                    "--compression",
                    "none",
                    "snapshotter.on_failure=warn",
                    "--snapshot-dir",
                    veles.at("runs"));
            try (ObjectStore store = veles.store("runs")) {
                while (run.isAlive() && store.list().size() < 3) {
                    Thread.sleep(20);
                }
                assertThat(run.isAlive()).as(run.stderr()).isTrue();
                server.kill();
                while (run.isAlive() && !run.stderr().contains(WARNING)) {
                    Thread.sleep(20);
                }
                assertThat(run.isAlive())
                        .as("the run goes on: %s", run.stderr())
                        .isTrue();

                server.restart();
                List<StoredSnapshot> before = store.list();
                while (run.isAlive() && store.list().size() <= before.size()) {
                    Thread.sleep(20);
                }
                assertThat(run.isAlive()).as(run.stderr()).isTrue();
                run.terminate(); // SIGTERM: the run stops at a unit boundary with a final snapshot
                run.waitFor(60);
                assertThat(run.exitCode()).as(run.stderr()).isEqualTo(143);

                List<StoredSnapshot> after = store.list();
                assertThat(after).hasSizeGreaterThan(before.size());
                for (StoredSnapshot snapshot : after.subList(before.size(), after.size())) {
                    S3Veles.verify(store, snapshot);
                }
                StoredSnapshot current = store.current("walk").orElseThrow();
                assertThat(current).isEqualTo(after.get(after.size() - 1));
                S3Veles.verify(store, current);
            }
            List<String> warnings =
                    run.stderr().lines().filter(line -> line.contains(WARNING)).toList();
            assertThat(warnings)
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line)
                            // the step the server died in (writing, reading back, moving the
                            // current pointer, listing or deleting for retention), naming the
                            // object, or the prefix for a step that concerns the whole store
                            .containsPattern("cannot (write|read back|move|list|delete) ")
                            .contains(veles.at("runs"))
                            .contains("S3 endpoint"));
            assertThat(run.stderr()).doesNotContain("\tat ").doesNotContain(TestS3.SECRET_KEY);
        }
    }
}
