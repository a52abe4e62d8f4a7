package io.veles.testing;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.s3.ObjectStore;
import io.veles.snapshot.store.s3.S3Location;
import io.veles.snapshot.store.s3.S3Options;

import java.time.Instant;

/**
 * Writes real snapshots into an S3 prefix until killed: alternately a multipart one (about 24 MiB,
 * uncompressed) and a small gzip one, printing {@code writing} once started and
 * {@code wrote <key>} after each. The server and
 * credentials come from the SDK's standard environment.
 *
 * <p>Usage: {@code S3KillableWriter s3://bucket/prefix}
 */
public final class S3KillableWriter {
    private S3KillableWriter() {}

    public static void main(String[] args) throws Exception {
        S3Location location = S3Location.parse(args[0]);
        LoopWorkflow big = new LoopWorkflow(2, 3_000_000, -1);
        LoopWorkflow small = new LoopWorkflow(2, 10, -1);
        try (ObjectStore store = ObjectStore.open(location, S3Options.standard().withPathStyle(true))) {
            System.out.println("writing");
            System.out.flush();
            for (int i = 1; ; i++) {
                boolean multipart = i % 2 == 1;
                Codec codec = multipart ? Codec.NONE : Codec.GZIP;
                Manifest manifest = Manifest.builder().name("loop").build();
                String key = store.write(
                                new NewSnapshot(
                                        "run",
                                        String.valueOf(i),
                                        Instant.now(),
                                        "killable-" + ProcessHandle.current().pid(),
                                        null,
                                        "loop",
                                        codec),
                                out -> SnapshotWriter.write(multipart ? big : small, manifest, codec, -1, out))
                        .key();
                System.out.println("wrote " + key);
                System.out.flush();
            }
        }
    }
}
