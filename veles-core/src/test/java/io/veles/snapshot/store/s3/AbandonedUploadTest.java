package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.testing.TestS3;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A process halting mid-upload (Ctrl-C in a command) waits for the parts it is sending before it
 * aborts the upload: a part still being sent could be stored after the abort, or be cut off
 * mid-request, and leave storage behind (the test server kept the part's directory, and S3 says
 * an abort may have to be repeated). No part starts once the upload is abandoned.
 */
class AbandonedUploadTest {
    @Test
    void theAbortWaitsForThePartInFlightAndNoPartStartsAfterIt() throws Exception {
        try (TestS3 s3 = TestS3.freshBucket()) {
            ExecutorService workers = Executors.newSingleThreadExecutor();
            CountDownLatch release = new CountDownLatch(1);
            workers.submit(() -> {
                release.await(); // the part below waits behind this: in flight, not yet sent
                return null;
            });
            S3Options options = s3.options();
            try (software.amazon.awssdk.services.s3.S3Client client = TestS3.client(TestS3.endpoint())) {
                ObjectUpload upload =
                        new ObjectUpload(client, s3.bucket(), "runs/run_1", options, workers, new ConditionalWrites());
                upload.write(new byte[options.partSize(1)]); // one whole part: the upload opens and sends it
                Runnable abandon = upload.abandonment();
                assertThat(abandon).isNotNull();

                Thread halting = new Thread(abandon, "halting");
                halting.start();
                halting.join(500);
                assertThat(halting.isAlive()).as("waits for the part in flight").isTrue();
                assertThat(uploads(s3))
                        .as("not aborted while a part is on its way")
                        .isEqualTo(1);
                assertThatThrownBy(() -> upload.write(new byte[options.partSize(2)]))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("abandoned");

                release.countDown();
                halting.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(halting.isAlive()).isFalse();
                assertThat(uploads(s3)).as("aborted once its part was sent").isZero();
            } finally {
                release.countDown();
                workers.shutdownNow();
            }
        }
    }

    private static int uploads(TestS3 s3) {
        return s3.admin()
                .listMultipartUploads(request -> request.bucket(s3.bucket()))
                .uploads()
                .size();
    }
}
