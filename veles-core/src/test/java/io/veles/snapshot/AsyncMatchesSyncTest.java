package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.Differential;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.snapshot.store.DirectoryStore;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * An asynchronous snapshot is stored as exactly the file a synchronous one of the same state
 * writes, byte for byte: the background thread shuffles, checksums and signs what the pause only
 * copied, and compresses it with the same blocks whatever threads it has. Checked through the
 * real paths, {@link BackgroundWrites} against {@link SnapshotWriter#write} into a directory,
 * for standalone and differential snapshots, shuffled and not, signed and not, with code or not.
 */
class AsyncMatchesSyncTest {
    @TempDir
    Path dir;

    /** Arrays of each shuffle width over several blocks, and small objects between them. */
    static final class Model extends Unit {
        float[] weights = new float[(3 << 20) + 17]; // 12 MiB and a partial block
        double[] moments = new double[(1 << 19) + 5]; // 4 MiB: an 8-byte array over one block
        short[] counts = new short[(2 << 20) + 3]; // 4 MiB: a 2-byte one
        List<Integer> history = new ArrayList<>();
        Map<String, Double> stats = new HashMap<>();
        int step;

        Model(Workflow workflow) {
            super(workflow, "model");
            Random random = new Random(7);
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (random.nextGaussian() * 0.05);
            }
            for (int i = 0; i < moments.length; i++) {
                moments[i] = random.nextGaussian();
            }
            for (int i = 0; i < counts.length; i++) {
                counts[i] = (short) random.nextInt(1000);
            }
        }

        @Override
        public void run() {
            step++;
            history.add(step);
            stats.put("step" + step, step * 0.5);
            for (int i = step; i < weights.length; i += 1 << 16) { // a few blocks change, most do not
                weights[i] += 0.25f;
            }
            moments[step] = -step;
        }
    }

    static final class Net extends Workflow {
        final Model model;

        Net() {
            super("net");
            model = new Model(this);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Codec.GZIP, 1, false, false), // shuffled, parallel members
                Arguments.of(Codec.GZIP, 1, true, true),
                Arguments.of(Codec.ZSTD, 3, true, false), // shuffled
                Arguments.of(Codec.LZ4, 1, false, true), // not shuffled
                Arguments.of(Codec.NONE, 0, true, true));
    }

    @ParameterizedTest(name = "{0} level {1}, signed {2}, code {3}")
    @MethodSource("cases")
    void eachSnapshotOfAChainIsTheFileASynchronousWriteMakes(Codec codec, int level, boolean signed, boolean code)
            throws Exception {
        SnapshotWriter.Options options = SnapshotWriter.Options.of(codec, level).withThreads(2);
        if (signed) {
            Path keyFile = dir.resolve("key");
            Files.write(
                    keyFile, "a key of thirty-two bytes, 1234".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            options = options.withKey(SnapshotKey.fromFile(keyFile));
        }
        if (code) {
            byte[] zip = new byte[70_000];
            new Random(1).nextBytes(zip);
            options = options.withCodeBackup(zip);
        }
        Path syncDir = Files.createDirectories(dir.resolve("sync"));
        Path asyncDir = Files.createDirectories(dir.resolve("async"));
        Differential syncChain = Differential.withFullEvery(4);
        Differential asyncChain = Differential.withFullEvery(4);
        BackgroundWrites background = new BackgroundWrites();
        Net net = new Net();
        net.initialize();
        try (DirectoryStore syncStore = new DirectoryStore(syncDir);
                DirectoryStore asyncStore = new DirectoryStore(asyncDir)) {
            for (int i = 1; i <= 3; i++) {
                net.model.run();
                NewSnapshot entry =
                        new NewSnapshot("net", Integer.toString(i), Instant.EPOCH, "run-1", "run-1", "net", codec);
                Manifest manifest = Manifest.builder()
                        .created(Instant.ofEpochSecond(i).toString())
                        .info("prefix", "net")
                        .build();

                Differential.Pending syncPending = syncChain.next();
                SnapshotWriter.Options syncOptions = options;
                StoredSnapshot syncStored = syncStore.write(
                        entry, out -> SnapshotWriter.write(net, manifest, syncOptions, syncPending, out));
                syncChain.stored(syncPending, syncStored.key());

                Differential.Pending asyncPending = asyncChain.next();
                AtomicReference<StoredSnapshot> asyncStored = new AtomicReference<>();
                BackgroundWrites.Write write = new BackgroundWrites.Write(
                        asyncStore, entry, manifest, options, entry.name(), 1, asyncPending, 1, (stored, written) -> {
                            asyncChain.stored(asyncPending, stored.key());
                            asyncStored.set(stored);
                        });
                assertThat(background.start(net, write, Long.MAX_VALUE)).isNotNull();
                net.model.run(); // the state moves on while the copy is written; the file must not
                BackgroundWrites.Failure failure = background.collect();
                assertThat(failure).as("no background failure").isNull();

                byte[] expected = read(syncStore, syncStored);
                byte[] actual = read(asyncStore, asyncStored.get());
                assertThat(actual).as("snapshot %d's stored bytes", i).isEqualTo(expected);
                try (SnapshotReader reader = SnapshotReader.open(
                        asyncStore.open(asyncStored.get()), asyncStored.get().location(), options.key())) {
                    assertThat(reader.isDifferential())
                            .as("snapshot %d differential", i)
                            .isEqualTo(i > 1);
                    reader.verifyOwnBytes();
                }
            }
        } finally {
            background.close();
        }
    }

    private static byte[] read(DirectoryStore store, StoredSnapshot stored) throws IOException {
        try (InputStream in = store.open(stored)) {
            return in.readAllBytes();
        }
    }
}
