package io.veles.snapshot.store.s3;

import io.veles.errors.SnapshotStoreException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Names why an S3 call failed in a user's words: a missing bucket, access denied, an unknown or
 * expired credential, an endpoint that refuses or does not resolve. Server messages and
 * exception texts are not quoted: they can carry request ids and signing details, never needed
 * to act, and an access key id is never printed.
 */
final class S3Failure {
    private S3Failure() {}

    /** A one-line exception: {@code <what failed, naming the location>: <cause>}. */
    static SnapshotStoreException of(String what, S3Location location, Throwable failure) {
        return new SnapshotStoreException(what + ": " + describe(failure, location), failure);
    }

    static String describe(Throwable failure, S3Location location) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof S3Exception s3) {
                return describeServer(s3, location);
            }
            if (cause instanceof ConnectException) {
                return "connection refused by the S3 endpoint (is the endpoint right and the server up?)";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage() + " (check the S3 endpoint)";
            }
            if (cause instanceof NoRouteToHostException) {
                return "no route to the S3 endpoint";
            }
            if (cause instanceof SocketTimeoutException) {
                return "the S3 endpoint timed out";
            }
        }
        if (failure instanceof SdkClientException client && client.getMessage() != null) {
            String message = client.getMessage();
            if (message.contains("Unable to load credentials")) {
                return "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ~/.aws/credentials)";
            }
            if (message.toLowerCase(Locale.ROOT).contains("unable to execute http request")) {
                return "the S3 endpoint cannot be reached (" + firstLine(rootMessage(client)) + ")";
            }
            return firstLine(message);
        }
        if (failure instanceof SdkException) {
            return failure.getClass().getSimpleName();
        }
        return failure.getMessage() != null
                ? firstLine(failure.getMessage())
                : failure.getClass().getSimpleName();
    }

    private static String describeServer(S3Exception e, S3Location location) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if (code == null) {
            code = "";
        }
        if (e instanceof NoSuchBucketException) {
            code = "NoSuchBucket"; // a HEAD's 404 has no body to name it
        }
        switch (code) {
            case "NoSuchBucket":
                return "bucket '" + location.bucket() + "' does not exist";
            case "AccessDenied":
            case "AllAccessDisabled":
            case "AccountProblem":
                return "access denied to bucket '" + location.bucket() + "'";
            case "InvalidAccessKeyId":
                return "the access key is not known to the server (invalid credential)";
            case "SignatureDoesNotMatch":
                return "the secret key does not match the access key (invalid credential)";
            case "ExpiredToken":
            case "TokenRefreshRequired":
            case "RequestExpired":
                return "the credential has expired";
            case "InvalidToken":
                return "the session token is invalid (invalid credential)";
            default:
                break;
        }
        switch (e.statusCode()) {
            case 403:
                return "access denied (HTTP 403" + (code.isEmpty() ? "" : ", " + code) + ")";
            case 404:
                return code.isEmpty() ? "not found (HTTP 404)" : code;
            default:
                return "the S3 server answered HTTP " + e.statusCode() + (code.isEmpty() ? "" : " " + code);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null
                ? root.getClass().getSimpleName() + ": " + root.getMessage()
                : root.getClass().getSimpleName();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
