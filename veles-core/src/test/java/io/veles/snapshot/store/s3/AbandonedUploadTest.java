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
            Runnable[] abandonOf = new Runnable[1];
            try (software.amazon.awssdk.services.s3.S3Client client = TestS3.client(TestS3.endpoint())) {
                ObjectUpload upload =
                        new ObjectUpload(client, s3.bucket(), "runs/run_1", options, workers, new ConditionalWrites());
                upload.write(new byte[options.partSize(1)]); // one whole part: the upload opens and sends it
                Runnable abandon = upload.abandonment();
                abandonOf[0] = abandon;
                assertThat(abandon).isNotNull();

                Thread halting = new Thread(abandon, "halting");
                halting.start();
                halting.join(200);
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
                if (abandonOf[0] != null) { // not left for this JVM's exit to run
                    io.veles.internal.store.InFlightWrites.endedElsewhere(abandonOf[0]);
                }
            }
        }
    }

    /**
     * Abandoned and completed are exclusive: an upload abandoned before it completes refuses to
     * complete (its abort takes it), and one already completed is left whole by a late abandon.
     */
    @Test
    void anAbandonedUploadDoesNotCompleteAndACompletedOneIsNotAborted() throws Exception {
        try (TestS3 s3 = TestS3.freshBucket();
                software.amazon.awssdk.services.s3.S3Client client = TestS3.client(TestS3.endpoint())) {
            ExecutorService workers = Executors.newCachedThreadPool();
            S3Options options = s3.options();
            try {
                ObjectUpload abandoned =
                        new ObjectUpload(client, s3.bucket(), "runs/run_1", options, workers, new ConditionalWrites());
                abandoned.write(new byte[options.partSize(1)]); // a whole part: complete() has none left to send
                abandoned.abandonment().run();
                assertThatThrownBy(abandoned::complete)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("abandoned");
                assertThat(uploads(s3)).isZero();

                ObjectUpload completed =
                        new ObjectUpload(client, s3.bucket(), "runs/run_2", options, workers, new ConditionalWrites());
                completed.write(new byte[options.partSize(1) + 1]);
                completed.complete();
                completed.abandonment().run(); // the exit hook, a moment too late
                assertThat(client.headObject(
                                        request -> request.bucket(s3.bucket()).key("runs/run_2"))
                                .contentLength())
                        .isEqualTo(options.partSize(1) + 1L);
                assertThat(client.listObjectsV2(request -> request.bucket(s3.bucket()))
                                .contents())
                        .extracting(object -> object.key())
                        .containsExactly("runs/run_2");
            } finally {
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
