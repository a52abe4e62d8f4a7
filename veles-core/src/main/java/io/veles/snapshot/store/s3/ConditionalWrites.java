package io.veles.snapshot.store.s3;

import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Whether a server honours {@code If-None-Match: *} on PutObject and CompleteMultipartUpload (AWS
 * S3 since 2024, s3proxy, recent MinIO). Asked on every write until a server answers
 * NotImplemented; from then on this store relies on its check-then-write alone.
 */
final class ConditionalWrites {
    private volatile boolean supported = true;

    /** The header's value to send: {@code *}, or null once the server refused it. */
    String ifNoneMatch() {
        return supported ? "*" : null;
    }

    /** True when {@code failure} is the server refusing the header, which is then no longer sent. */
    boolean refusedBy(S3Exception failure) {
        if (supported && failure.statusCode() == 501) {
            supported = false;
            return true;
        }
        return false;
    }

    /** True when {@code failure} says the key was taken meanwhile (HTTP 412 to If-None-Match). */
    static boolean keyTaken(S3Exception failure) {
        return failure.statusCode() == 412;
    }
}
