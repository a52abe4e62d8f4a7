package io.veles.bench.snapshot;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.snapshot.store.s3.ObjectStore;
import io.veles.snapshot.store.s3.S3Location;
import io.veles.snapshot.store.s3.S3Options;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Our S3 write and read of one snapshot file, for bench/run's row against {@code aws s3 cp}:
 * the file's bytes go through {@link ObjectStore#write} (a streamed multipart upload) and come
 * back through {@link ObjectStore#open} (parallel ranged reads), read into memory as a restore
 * reads them. The server and credentials come from the SDK's standard environment.
 * Prints {@code RESULT write_seconds|read_seconds|bytes <value>}.
 *
 * <p>Usage: {@code S3TransferBench <snapshot file> s3://bucket/prefix}
 */
public final class S3TransferBench {
    private static final int PIECE = 1 << 20;

    private S3TransferBench() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        S3Location location = S3Location.parse(args[1]);
        byte[] piece = new byte[PIECE];
        try (ObjectStore store = ObjectStore.open(location, S3Options.standard().withPathStyle(true))) {
            long start = System.nanoTime();
            StoredSnapshot stored = store.write(
                    new NewSnapshot(
                            "w1",
                            "1",
                            Instant.now(),
                            "bench",
                            null,
                            "w1",
                            Codec.fromFileName(file.getFileName().toString())),
                    out -> {
                        try (InputStream in = Files.newInputStream(file)) {
                            int n;
                            while ((n = in.read(piece)) > 0) {
                                out.write(piece, 0, n);
                            }
                        }
                    });
            result("write_seconds", (System.nanoTime() - start) / 1e9);

            start = System.nanoTime();
            long read = 0;
            try (InputStream in = store.open(stored)) {
                int n;
                while ((n = in.read(piece)) > 0) {
                    read += n;
                }
            }
            result("read_seconds", (System.nanoTime() - start) / 1e9);
            result("bytes", read);
            store.delete(stored);
        }
    }

    private static void result(String key, Object value) {
        System.out.println("RESULT " + key + " " + (value instanceof Double d ? String.format("%.3f", d) : value));
    }
}
