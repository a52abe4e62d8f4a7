package io.veles.cli;

import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.snapshot.store.s3.ObjectStore;
import io.veles.snapshot.store.s3.S3Location;
import io.veles.testing.TestS3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The veles command line pointed at one S3 server as a user points it: credentials in the AWS
 * environment variables, the server named by {@code --s3-endpoint} and {@code --s3-path-style}.
 */
final class S3Veles {
    private final URI endpoint;
    private final String bucket;
    private final Map<String, String> environment;

    S3Veles(URI endpoint, String bucket, Map<String, String> environment) {
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.environment = environment;
    }

    /** The command line on the test bucket of {@code s3}. */
    static S3Veles on(TestS3 s3) {
        return on(TestS3.endpoint(), s3.bucket());
    }

    /** The command line on {@code bucket} of the server at {@code endpoint}, with the test credentials. */
    static S3Veles on(URI endpoint, String bucket) {
        return new S3Veles(
                endpoint,
                bucket,
                Map.of(
                        "AWS_ACCESS_KEY_ID",
                        TestS3.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY",
                        TestS3.SECRET_KEY,
                        "AWS_DEFAULT_REGION",
                        "us-east-1",
                        "AWS_EC2_METADATA_DISABLED",
                        "true"));
    }

    /** The same, but through {@code endpoint} (for one pointing nowhere). */
    S3Veles through(URI other) {
        return new S3Veles(other, bucket, environment);
    }

    /** The same, with {@code variable} set to {@code value} (for a wrong secret). */
    S3Veles with(String variable, String value) {
        Map<String, String> changed = new HashMap<>(environment);
        changed.put(variable, value);
        return new S3Veles(endpoint, bucket, changed);
    }

    /** The environment the command line runs in: the test credentials. */
    Map<String, String> environment() {
        return environment;
    }

    /** The options that name the server, which come before a subcommand. */
    String[] serverArgs() {
        return new String[] {"--s3-endpoint", endpoint.toString(), "--s3-path-style"};
    }

    /** {@code s3://bucket/path}. */
    String at(String path) {
        return "s3://" + bucket + "/" + path;
    }

    VelesProcess run(Path workingDirectory, String... args) throws IOException, InterruptedException {
        VelesProcess veles = start(workingDirectory, args);
        veles.waitFor(120);
        return veles;
    }

    VelesProcess start(Path workingDirectory, String... args) throws IOException {
        return VelesProcess.start(workingDirectory, environment, List.of(), withServer(args));
    }

    /** As {@link #start}, so that SIGINT reaches it (see {@link VelesProcess#startInterruptible}). */
    VelesProcess startInterruptible(Path workingDirectory, String... args) throws IOException {
        return VelesProcess.startInterruptible(workingDirectory, environment, List.of(), withServer(args));
    }

    private String[] withServer(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--s3-endpoint";
        all[1] = endpoint.toString();
        all[2] = "--s3-path-style";
        System.arraycopy(args, 0, all, 3, args.length);
        return all;
    }

    /** The store at {@code s3://bucket/prefix}, opened in this JVM to check what the runs left. */
    ObjectStore store(String prefix) {
        return ObjectStore.open(S3Location.parse(at(prefix)), TestS3.options(endpoint));
    }

    /** Reads {@code snapshot} of {@code store} whole, checking every checksum; throws when it does not verify. */
    static void verify(ObjectStore store, StoredSnapshot snapshot) throws IOException {
        try (SnapshotReader reader = SnapshotReader.open(store.open(snapshot), snapshot.location())) {
            reader.verify();
        }
    }
}
