package io.veles.snapshot.store.s3;

import io.veles.errors.SnapshotException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.net.URI;

/**
 * How {@link ObjectStore} reaches a bucket. Everything else is the AWS SDK's standard
 * configuration: credentials from its default chain (the {@code aws.accessKeyId} system
 * properties, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN},
 * {@code AWS_PROFILE} and {@code ~/.aws/credentials} and {@code ~/.aws/config}, web identity, SSO,
 * container and instance roles), the region from its default chain ({@code AWS_REGION}, the
 * profile's {@code region}, instance metadata; {@code us-east-1} when none is configured, which
 * S3-compatible stores ignore), and the endpoint from {@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_ENDPOINT_URL} or the profile's {@code endpoint_url} unless {@link #endpoint} is set.
 * The SDK has no variable for path-style addressing, so that is only {@link #pathStyle}.
 *
 * @param endpoint      the S3 API's address for MinIO, Ceph RGW and other S3-compatible stores
 *                      ({@code http://127.0.0.1:9000}), or null for the SDK's own choice
 * @param pathStyle     addresses buckets as {@code endpoint/bucket/key} rather than
 *                      {@code bucket.endpoint/key}, as most self-hosted stores need
 * @param credentials   credentials for an embedding program, or null for the SDK's default chain
 * @param partBytes     the size of an upload's first parts (8-64 MiB); parts double in size every
 *                      1,000 parts up to 64 MiB, so that S3's 10,000-part limit allows about 500 GB
 * @param partsInFlight parts uploaded at once; a write holds at most one more part than this in memory
 * @param rangeBytes    the size of a ranged read
 * @param rangesAhead   ranges fetched at once ahead of the reader; a read holds at most one more in memory
 */
public record S3Options(
        URI endpoint,
        boolean pathStyle,
        AwsCredentialsProvider credentials,
        int partBytes,
        int partsInFlight,
        int rangeBytes,
        int rangesAhead) {
    static final int MIB = 1 << 20;
    public static final int MIN_PART_BYTES = 8 * MIB;
    public static final int MAX_PART_BYTES = 64 * MIB;
    private static volatile S3Options current = standard();

    public S3Options {
        if (partBytes < MIN_PART_BYTES || partBytes > MAX_PART_BYTES) {
            throw new SnapshotException("S3 part size " + partBytes + " is outside 8-64 MiB");
        }
        if (partsInFlight < 1 || rangesAhead < 1 || rangeBytes < MIB) {
            throw new SnapshotException(
                    "S3 transfers need at least one part and one range (of 1 MiB or more) in flight");
        }
        if (endpoint != null
                && (endpoint.getHost() == null
                        || !("http".equalsIgnoreCase(endpoint.getScheme())
                                || "https".equalsIgnoreCase(endpoint.getScheme())))) {
            throw new SnapshotException("S3 endpoint '" + endpoint + "' is not an http:// or https:// address");
        }
    }

    /**
     * The SDK's standard configuration: 8 MiB parts, 6 in flight (56 MiB of buffers: with 3,
     * writes to s3proxy ran at 0.9-1.0x {@code aws s3 cp}, whose 10 requests in flight keep the
     * server busier); 8 MiB ranges, 3 ahead.
     */
    public static S3Options standard() {
        return new S3Options(null, false, null, MIN_PART_BYTES, 6, 8 * MIB, 3);
    }

    /** The options {@code s3://} locations are opened with in this process (the command line's --s3-* options). */
    public static S3Options current() {
        return current;
    }

    /** Makes {@code options} the ones {@code s3://} locations are opened with from now on. */
    public static void use(S3Options options) {
        current = java.util.Objects.requireNonNull(options);
    }

    public S3Options withEndpoint(URI newEndpoint) {
        return new S3Options(newEndpoint, pathStyle, credentials, partBytes, partsInFlight, rangeBytes, rangesAhead);
    }

    /** As {@link #withEndpoint(URI)} for text; empty or null keeps the SDK's choice. */
    public S3Options withEndpoint(String newEndpoint) {
        if (newEndpoint == null || newEndpoint.isBlank()) {
            return withEndpoint((URI) null);
        }
        try {
            return withEndpoint(URI.create(newEndpoint.trim()));
        } catch (IllegalArgumentException e) {
            throw new SnapshotException("S3 endpoint '" + newEndpoint + "' is not an http:// or https:// address", e);
        }
    }

    public S3Options withPathStyle(boolean newPathStyle) {
        return new S3Options(endpoint, newPathStyle, credentials, partBytes, partsInFlight, rangeBytes, rangesAhead);
    }

    public S3Options withCredentials(AwsCredentialsProvider newCredentials) {
        return new S3Options(endpoint, pathStyle, newCredentials, partBytes, partsInFlight, rangeBytes, rangesAhead);
    }

    public S3Options withTransfers(int newPartBytes, int newPartsInFlight, int newRangeBytes, int newRangesAhead) {
        return new S3Options(
                endpoint, pathStyle, credentials, newPartBytes, newPartsInFlight, newRangeBytes, newRangesAhead);
    }

    /** The size of the {@code partNumber}-th part (1-based). */
    int partSize(int partNumber) {
        int doublings = Math.min((partNumber - 1) / 1000, 3);
        return (int) Math.min((long) partBytes << doublings, MAX_PART_BYTES);
    }

    /** The most bytes {@code parts} parts of {@link #partSize} hold. */
    long largestObject(int parts) {
        long bytes = 0;
        for (int part = 1; part <= parts; part++) {
            bytes += partSize(part);
        }
        return bytes;
    }

    @Override
    public String toString() {
        // The credentials provider's own toString could name a key: never printed.
        return "S3Options[endpoint=" + endpoint + ", pathStyle=" + pathStyle + ", partBytes=" + partBytes
                + ", partsInFlight=" + partsInFlight + ", rangeBytes=" + rangeBytes + ", rangesAhead=" + rangesAhead
                + "]";
    }
}
