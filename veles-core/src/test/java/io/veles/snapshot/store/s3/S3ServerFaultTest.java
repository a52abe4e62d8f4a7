package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.testing.S3ProxyProcess;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** A server killed (SIGKILL) mid-upload: one clear line, no object; after a restart the next snapshot goes through. */
@Tag("slow")
class S3ServerFaultTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aServerKilledMidUploadFailsTheWriteCleanlyAndTheNextWriteAfterARestartSucceeds() throws Exception {
        TestS3.freshBucket().close(); // skips or fails, as every S3 test, when there is no server to test against
        try (S3ProxyProcess server = S3ProxyProcess.start(dir);
                S3Client admin = TestS3.client(server.endpoint())) {
            admin.createBucket(request -> request.bucket("faults"));
            S3Options options = TestS3.options(server.endpoint());
            byte[] piece = new byte[MIB];
            Arrays.fill(piece, (byte) 7);
            try (ObjectStore store = ObjectStore.open(S3Location.parse("s3://faults/runs"), options)) {
                assertThatThrownBy(() -> store.write(ObjectStoreTest.entry("run", "1", Codec.NONE), out -> {
                            for (int i = 0; i < 24; i++) {
                                out.write(piece);
                            }
                            server.kill(); // two parts sent, a third on its way
                            for (int i = 0; i < 24; i++) {
                                out.write(piece);
                            }
                        }))
                        .isInstanceOf(SnapshotException.class)
                        .hasMessageStartingWith("cannot write s3://faults/runs/run_1: ")
                        .hasMessageContaining("S3 endpoint")
                        .message()
                        .doesNotContain("\n");

                server.restart();
                assertThat(store.list()).isEmpty();
                assertThat(store.current("run")).isEmpty();

                StoredSnapshot next = store.write(ObjectStoreTest.entry("run", "2", Codec.NONE), out -> {
                    for (int i = 0; i < 20; i++) {
                        out.write(piece);
                    }
                });
                assertThat(store.list()).containsExactly(next);
                assertThat(next.bytes()).isEqualTo(20L * MIB);
                assertThat(store.current("run")).contains(next);
                // What the killed write could not abort is reclaimed by prune's sweep.
                store.abortStaleUploads(Duration.ZERO);
                assertThat(admin.listMultipartUploads(request -> request.bucket("faults"))
                                .uploads())
                        .isEmpty();
            }
        }
    }
}
