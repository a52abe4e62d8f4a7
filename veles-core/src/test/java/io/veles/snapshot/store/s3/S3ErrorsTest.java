package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.codec.Codec;
import io.veles.testing.ChildProcess;
import io.veles.testing.FreshJvm;
import io.veles.testing.S3KillableWriter;
import io.veles.testing.TestS3;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A missing bucket, a wrong endpoint and bad credentials each give one line naming the cause, and write nothing. */
@Tag("slow")
class S3ErrorsTest {
    @RegisterExtension
    static final TestS3 s3 = TestS3.perClass();

    @Test
    void aMissingBucketIsNamed() {
        S3Location missing = S3Location.parse("s3://veles-no-such-bucket-4711/runs");
        try (ObjectStore store = ObjectStore.open(missing, s3.options())) {
            assertOneLine(
                    () -> store.write(ObjectStoreTest.entry("run", "1", Codec.GZIP), out -> out.write(1)),
                    "cannot write to s3://veles-no-such-bucket-4711/runs: bucket 'veles-no-such-bucket-4711' does not exist");
            assertOneLine(
                    store::list,
                    "cannot list s3://veles-no-such-bucket-4711/runs: bucket 'veles-no-such-bucket-4711' does not exist");
            // asked by a run before its first iteration, so that it stops then rather than at its first snapshot
            assertOneLine(
                    () -> store.lockPrefix("run", "id"),
                    "cannot write to s3://veles-no-such-bucket-4711/runs: bucket 'veles-no-such-bucket-4711' does not exist");
            // a snapshot named in it: not "no such snapshot", which a HEAD's bare 404 would say
            assertOneLine(
                    () -> store.resolve(S3Location.parse("s3://veles-no-such-bucket-4711/runs/run_1.gz")),
                    "cannot read s3://veles-no-such-bucket-4711/runs/run_1.gz: bucket 'veles-no-such-bucket-4711'"
                            + " does not exist");
        }
        assertThat(s3.admin().listBuckets().buckets())
                .noneMatch(bucket -> bucket.name().equals("veles-no-such-bucket-4711"));
    }

    @Test
    void anEndpointThatRefusesIsNamed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        S3Options options = TestS3.options(java.net.URI.create("http://127.0.0.1:" + closedPort));
        try (ObjectStore store = ObjectStore.open(s3.location("runs"), options)) {
            assertOneLine(
                    () -> store.write(ObjectStoreTest.entry("run", "1", Codec.GZIP), out -> out.write(1)),
                    "cannot write to s3://" + s3.bucket() + "/runs: connection refused by the S3 endpoint"
                            + " (is the endpoint right and the server up?)");
        }
    }

    @Test
    void anUnknownHostIsNamed() {
        S3Options options = TestS3.options(java.net.URI.create("http://no-such-host.invalid:9000"));
        try (ObjectStore store = ObjectStore.open(s3.location("runs"), options)) {
            assertOneLine(
                    store::list,
                    "cannot list s3://" + s3.bucket() + "/runs: unknown host no-such-host.invalid"
                            + " (check the S3 endpoint)");
        }
    }

    @Test
    void anUnknownAccessKeyAndAWrongSecretAreNamedWithoutPrintingEither() {
        S3Options unknownKey = s3.options()
                .withCredentials(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAUNKNOWN0000", "s3cr3t-never-printed")));
        try (ObjectStore store = ObjectStore.open(s3.location("runs"), unknownKey)) {
            assertOneLine(
                    () -> store.write(ObjectStoreTest.entry("run", "1", Codec.GZIP), out -> out.write(1)),
                    "cannot write to s3://" + s3.bucket()
                            + "/runs: the access key is not known to the server (invalid credential)");
        }
        S3Options wrongSecret = s3.options()
                .withCredentials(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestS3.ACCESS_KEY, "s3cr3t-never-printed")));
        try (ObjectStore store = ObjectStore.open(s3.location("runs"), wrongSecret)) {
            assertOneLine(
                    () -> store.write(ObjectStoreTest.entry("run", "1", Codec.GZIP), out -> out.write(1)),
                    "cannot write to s3://" + s3.bucket()
                            + "/runs: the secret key does not match the access key (invalid credential)");
        }
        assertThat(s3.admin()
                        .listObjectsV2(request -> request.bucket(s3.bucket()))
                        .contents())
                .isEmpty();
        assertThat(s3.admin()
                        .listMultipartUploads(request -> request.bucket(s3.bucket()))
                        .uploads())
                .isEmpty();
    }

    @Test
    void noCredentialsAnywhereInTheChainIsNamed(@TempDir Path home) throws Exception {
        ChildProcess.Result writer = ChildProcess.of(
                        FreshJvm.command(List.of(), S3KillableWriter.class, "s3://" + s3.bucket() + "/runs"))
                .without(name -> name.startsWith("AWS_"))
                .with(Map.of(
                        "HOME",
                        home.toString(), // no ~/.aws
                        "AWS_EC2_METADATA_DISABLED",
                        "true",
                        "AWS_ENDPOINT_URL",
                        TestS3.endpoint().toString()))
                .mergeErrors()
                .run();
        String output = writer.output();
        assertThat(writer.exitCode()).isNotZero();
        assertThat(output)
                .contains("SnapshotStoreException: cannot write to s3://" + s3.bucket()
                        + "/runs: no AWS credentials found"
                        + " (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ~/.aws/credentials)\n");
        assertThat(s3.admin()
                        .listObjectsV2(request -> request.bucket(s3.bucket()))
                        .contents())
                .isEmpty();
    }

    private static void assertOneLine(ThrowingCallable call, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(SnapshotException.class)
                .hasMessage(message)
                .message()
                .doesNotContain("\n")
                .doesNotContain("s3cr3t")
                .doesNotContain(TestS3.SECRET_KEY);
    }
}
