package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.TestS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.util.List;

/**
 * Ctrl-C during a conversion into S3 aborts its multipart upload: the parts sent are not left
 * stored (and billed), invisible, until a prune or a lifecycle rule reclaims them. The command is
 * caught with its upload open (frozen there with SIGSTOP), then sent SIGINT.
 */
@Tag("slow")
class InterruptedS3UploadTest {
    @TempDir
    static java.nio.file.Path dir;

    private static TestS3 s3;
    private static S3Veles veles;

    @BeforeAll
    static void snapshotAndBucket() throws Exception {
        s3 = TestS3.freshBucket();
        veles = S3Veles.on(s3);
        // about 18 MB: an upload of three parts of 8 MiB
        VelesProcess run = VelesProcess.run(
                dir, "run", "synthetic", "model_mb=8", "decision.max_epochs=1", "--snapshot-dir", "big", "-q");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
    }

    @AfterAll
    static void dropBucket() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void anInterruptedUploadIsAborted() throws Exception {
        VelesProcess convert =
                veles.startInterruptible(dir, "snapshot", "convert", "big/synthetic_1_90.00.gz", veles.at("copies/"));
        // Frozen once a part is stored, not as soon as the server lists the upload: between the
        // server creating it and the writer reading its id (then noting its abort), a process
        // halting cannot abort it, and only `snapshot prune` reclaims it (once in many CI runs).
        for (int i = 0; i < 60_000 && !partStored() && convert.isAlive(); i++) {
            Thread.sleep(1);
        }
        convert.freeze();
        assertThat(uploads()).as("caught uploading: " + convert.stderr()).isNotEmpty();
        assertThat(convert.interrupt()).isTrue();
        convert.thaw();
        convert.waitFor(60);
        assertThat(convert.exitCode()).isEqualTo(130);
        assertThat(uploads()).as("aborted as the JVM ended").isEmpty();
        assertThat(s3.admin()
                        .listObjectsV2(request -> request.bucket(s3.bucket()).prefix("copies/"))
                        .contents())
                .isEmpty();
    }

    private static boolean partStored() {
        for (MultipartUpload upload : uploads()) {
            if (!s3.admin()
                    .listParts(request ->
                            request.bucket(s3.bucket()).key(upload.key()).uploadId(upload.uploadId()))
                    .parts()
                    .isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static List<MultipartUpload> uploads() {
        return s3.admin()
                .listMultipartUploads(request -> request.bucket(s3.bucket()))
                .uploads();
    }
}
