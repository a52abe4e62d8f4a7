package io.veles.snapshot.store.s3;

import io.veles.errors.SnapshotException;

/**
 * The AWS SDK is an optional dependency of veles-core, as the JDBC drivers are: an application
 * that keeps its snapshots on disk or in a database does not carry it. This class names no SDK
 * type, so it can tell, before any class that does is loaded, which artifacts an {@code s3://}
 * location needs.
 */
public final class S3Sdk {
    private static final String PROBE = "software.amazon.awssdk.services.s3.S3Client";
    private static final String HTTP_PROBE = "software.amazon.awssdk.http.apache5.Apache5HttpClient";

    private S3Sdk() {}

    /** Refuses in one line, naming the artifacts to add, when the SDK is not on the class path. */
    public static void require() {
        if (!present(PROBE) || !present(HTTP_PROBE)) {
            throw new SnapshotException("s3:// locations need the AWS SDK for Java v2 on the class path: add"
                    + " software.amazon.awssdk:s3 and software.amazon.awssdk:apache5-client");
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, S3Sdk.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
