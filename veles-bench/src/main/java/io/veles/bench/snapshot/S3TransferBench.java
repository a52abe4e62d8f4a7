package io.veles.bench.snapshot;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.snapshot.store.s3.ObjectStore;
import io.veles.snapshot.store.s3.S3Location;
import io.veles.snapshot.store.s3.S3Options;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * Our S3 write and read of one snapshot file, for bench/run's rows against {@code aws s3 cp}:
 * the file's bytes go through {@link ObjectStore#write} (a streamed multipart upload) and come
 * back through {@link ObjectStore#open} (parallel ranged reads), read into memory as a restore
 * reads them. The server and credentials come from the SDK's standard environment.
 *
 * <p>Like bench/run's other rows, it measures a JVM whose code is warm, as a training run's is at
 * its second snapshot: the file's first {@code warmup-mib} MiB go up and down once untimed, then
 * the whole file {@code rounds} times. Prints {@code RESULT write_seconds|read_seconds <median>},
 * each round as {@code write_seconds.N|read_seconds.N}, and {@code bytes}.
 *
 * <p>Usage: {@code S3TransferBench <snapshot file> s3://bucket/prefix [warmup-mib [rounds]]}
 */
public final class S3TransferBench {
    private static final int PIECE = 1 << 20;

    private S3TransferBench() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        S3Location location = S3Location.parse(args[1]);
        long warmupBytes = (args.length > 2 ? Long.parseLong(args[2]) : 0) << 20;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be 1 or more, not " + rounds);
        }
        try (ObjectStore store = ObjectStore.open(location, S3Options.standard().withPathStyle(true))) {
            if (warmupBytes > 0) {
                transfer(store, file, warmupBytes);
            }
            double[] writes = new double[rounds];
            double[] reads = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                Transfer transfer = transfer(store, file, Long.MAX_VALUE);
                writes[round] = transfer.writeSeconds();
                reads[round] = transfer.readSeconds();
                result("write_seconds." + (round + 1), writes[round]);
                result("read_seconds." + (round + 1), reads[round]);
                if (round == 0) {
                    result("bytes", transfer.bytes());
                }
            }
            result("write_seconds", median(writes));
            result("read_seconds", median(reads));
        }
    }

    /** One write and read back: the seconds each took, and the bytes read. */
    private record Transfer(double writeSeconds, double readSeconds, long bytes) {}

    /** Writes the file's first {@code limit} bytes as a snapshot, reads it back, deletes it. */
    private static Transfer transfer(ObjectStore store, Path file, long limit) throws IOException {
        byte[] piece = new byte[PIECE];
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
                        long left = limit;
                        int n;
                        while (left > 0 && (n = in.read(piece, 0, (int) Math.min(PIECE, left))) > 0) {
                            out.write(piece, 0, n);
                            left -= n;
                        }
                    }
                });
        double write = (System.nanoTime() - start) / 1e9;

        start = System.nanoTime();
        long read = 0;
        try (InputStream in = store.open(stored)) {
            int n;
            while ((n = in.read(piece)) > 0) {
                read += n;
            }
        }
        double readSeconds = (System.nanoTime() - start) / 1e9;
        store.delete(stored);
        return new Transfer(write, readSeconds, read);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void result(String key, Object value) {
        System.out.println("RESULT " + key + " " + (value instanceof Double d ? String.format("%.3f", d) : value));
    }
}
