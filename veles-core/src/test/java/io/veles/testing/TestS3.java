package io.veles.testing;

import io.veles.snapshot.store.StoredSnapshot;
import io.veles.snapshot.store.s3.ObjectStore;
import io.veles.snapshot.store.s3.S3Location;
import io.veles.snapshot.store.s3.S3Options;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh bucket on the test S3 server: s3proxy started by {@code .ci/s3-server} (as
 * {@code .ci/run} does) at {@code VELES_S3_ENDPOINT}, default {@code http://127.0.0.1:19000}, with
 * the script's fixed test credentials. When no server answers, tests skip with a message on the
 * console, unless {@code VELES_REQUIRE_S3=1} (as on CI), where they fail.
 *
 * <p>Use one per test class ({@code @BeforeAll}); {@link #close} deletes the bucket and what it holds.
 */
public final class TestS3 implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public static final String ACCESS_KEY = "veles-test";
    public static final String SECRET_KEY = "veles-test-secret";
    private static String unavailable;
    private static boolean checked;

    private URI endpoint;
    private String bucket;
    private S3Client admin;

    private TestS3() {}

    private TestS3(URI endpoint, String bucket, S3Client admin) {
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.admin = admin;
    }

    /**
     * A bucket for one test class, made before its tests and deleted after them:
     * {@code @RegisterExtension static final TestS3 s3 = TestS3.perClass();}. Skips or fails the
     * class, as {@link #freshBucket} does, when there is no server.
     */
    public static TestS3 perClass() {
        return new TestS3();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        TestS3 made = freshBucket();
        endpoint = made.endpoint;
        bucket = made.bucket;
        admin = made.admin;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (admin != null) {
            close();
        }
    }

    /** A new empty bucket on the test server; skips or fails the calling test when there is none. */
    public static TestS3 freshBucket() {
        URI endpoint = endpoint();
        S3Client admin = client(endpoint);
        requireServer(admin, endpoint);
        String bucket = "veles-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin.createBucket(request -> request.bucket(bucket));
        return new TestS3(endpoint, bucket, admin);
    }

    /** The test server's address. */
    public static URI endpoint() {
        return URI.create(System.getenv().getOrDefault("VELES_S3_ENDPOINT", "http://127.0.0.1:19000"));
    }

    public String bucket() {
        return bucket;
    }

    public S3Location location(String prefix) {
        return S3Location.parse("s3://" + bucket + "/" + prefix);
    }

    /** What the store needs to reach the server: its endpoint, path style and the test credentials. */
    public S3Options options() {
        return options(endpoint);
    }

    public static S3Options options(URI endpoint) {
        return S3Options.standard()
                .withEndpoint(endpoint)
                .withPathStyle(true)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    /** The environment for a child process (the aws command, a child JVM) to reach the server through the SDK's standard chain. */
    public Map<String, String> environment() {
        return Map.of(
                "AWS_ACCESS_KEY_ID",
                ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                SECRET_KEY,
                "AWS_DEFAULT_REGION",
                "us-east-1",
                "AWS_ENDPOINT_URL",
                endpoint.toString(),
                "AWS_EC2_METADATA_DISABLED",
                "true");
    }

    /** A plain SDK client for checks and faults the store itself would not make. */
    public S3Client admin() {
        return admin;
    }

    /**
     * What {@code store} lists once the server has finished the work a killed writer left it. The
     * test server (s3proxy, filesystem backend) goes on completing a multipart upload whose client
     * died, and writes the object under a temporary key (the key, a dash and a random UUID) that
     * listings show until it is renamed into place; S3 itself never lists an object before it is
     * complete. A listing that stays the same for a second is taken as settled.
     */
    public static List<StoredSnapshot> settledListing(ObjectStore store) throws InterruptedException {
        List<StoredSnapshot> listed = store.list();
        for (int tries = 0; tries < 30; tries++) {
            Thread.sleep(1000);
            List<StoredSnapshot> again = store.list();
            if (again.equals(listed)) {
                return again;
            }
            listed = again;
        }
        throw new AssertionError("the test server's listing still changed after 30 s");
    }

    /** Deletes every object, every incomplete upload and the bucket. */
    @Override
    public void close() {
        try {
            admin.listMultipartUploadsPaginator(request -> request.bucket(bucket))
                    .uploads()
                    .forEach(upload -> admin.abortMultipartUpload(
                            request -> request.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())));
            admin.listObjectsV2Paginator(request -> request.bucket(bucket))
                    .contents()
                    .forEach(object -> admin.deleteObjects(request -> request.bucket(bucket)
                            .delete(delete -> delete.objects(
                                    ObjectIdentifier.builder().key(object.key()).build()))));
            admin.deleteBucket(request -> request.bucket(bucket));
        } finally {
            admin.close();
        }
    }

    public static S3Client client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(2)))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    private static synchronized void requireServer(S3Client admin, URI endpoint) {
        if (!checked) {
            try {
                admin.listBuckets();
            } catch (SdkException e) {
                unavailable = e.getClass().getSimpleName();
            }
            checked = true;
        }
        if (unavailable != null) {
            admin.close();
            String message = "no S3 server answers at " + endpoint + " (" + unavailable
                    + "); start one with .ci/s3-server start";
            Requirement.skipOrFail("VELES_REQUIRE_S3", message);
        }
    }
}
