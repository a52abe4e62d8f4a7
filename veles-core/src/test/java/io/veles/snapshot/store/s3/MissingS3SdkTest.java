package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.SnapshotStores;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.testing.FreshJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The AWS SDK is an optional dependency of veles-core: without it on the class path, snapshots in
 * a directory still work, and an {@code s3://} location is refused in one line naming the
 * artifacts to add. A child JVM whose class path has no SDK jar.
 */
@Tag("slow")
class MissingS3SdkTest {
    @TempDir
    Path dir;

    @Test
    void directoriesWorkAndS3NamesTheArtifactsToAdd() throws Exception {
        String withoutSdk = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("/software/amazon/awssdk/"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(withoutSdk).isNotEqualTo(System.getProperty("java.class.path"));
        FreshJvm.Running child = FreshJvm.start(
                dir, withoutSdk, UseStores.class, dir.resolve("snapshots").toString(), "s3://bucket/run");
        assertThat(child.waitFor(60)).as(child.output()).isZero();

        String refusal = "s3:// locations need the AWS SDK for Java v2 on the class path: add"
                + " software.amazon.awssdk:s3 and software.amazon.awssdk:apache5-client";
        assertThat(child.output().lines()).containsExactly("directory store: 1 snapshot", refusal, refusal);
    }

    /** Writes a snapshot file into a directory store, then tries an s3:// store and source. */
    public static final class UseStores {
        public static void main(String[] args) {
            try (SnapshotStore store = SnapshotStores.open(args[0])) {
                store.write(
                        new NewSnapshot("run", "1", Instant.now(), "r1", "l1", "W", Codec.NONE),
                        out -> out.write("not a real snapshot".getBytes(StandardCharsets.UTF_8)));
                System.out.println("directory store: " + store.list().size() + " snapshot");
            }
            try {
                SnapshotStores.open(args[1]);
            } catch (SnapshotException e) {
                System.out.println(e.getMessage());
            }
            try {
                SnapshotStores.source(args[1]);
            } catch (SnapshotException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
