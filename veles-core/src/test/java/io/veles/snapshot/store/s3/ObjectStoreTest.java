package io.veles.snapshot.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import io.veles.errors.SnapshotException;
import io.veles.internal.util.ThreadNice;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.testing.LiveThreads;
import io.veles.testing.LoopWorkflow;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/** ObjectStore against a real S3 server (s3proxy, {@link TestS3}): what every store promises. */
@Tag("slow")
class ObjectStoreTest {
    private static TestS3 s3;
    /** A real snapshot of about 24 MiB uncompressed: three parts of 8 MiB and three ranges. */
    private static byte[] big;

    private static byte[] small;

    @BeforeAll
    static void startBucket() {
        s3 = TestS3.freshBucket();
        big = snapshotBytes(new LoopWorkflow(2, 3_000_000, -1), Codec.NONE);
        small = snapshotBytes(new LoopWorkflow(2, 10, -1), Codec.GZIP);
    }

    @AfterAll
    static void dropBucket() {
        if (s3 != null) {
            s3.close();
        }
    }

    /**
     * A copy (convert) never moves _current, not even to make a first one: a location's newest is
     * the pointer target uploaded last, and the copy was uploaded now, whenever it was taken.
     */
    @Test
    void aCopyNeverBecomesCurrent() {
        try (ObjectStore store = ObjectStore.open(s3.location("copies"), s3.options())) {
            store.writeCopy(entry("run", "1", Codec.GZIP), out -> out.write(small));
            assertThat(store.current("run")).isEmpty();
            assertThatThrownBy(() -> store.resolve(s3.location("copies")))
                    .as("resuming the prefix says where the copy is")
                    .hasMessageContaining("a copy made by convert has none: give its own address");
            store.write(entry("run", "3", Codec.GZIP), out -> out.write(small));
            store.writeCopy(entry("run", "2", Codec.GZIP), out -> out.write(small));
            assertThat(store.current("run")).map(StoredSnapshot::name).contains("run_3");
            assertThat(store.list()).extracting(StoredSnapshot::name).contains("run_2");
        }
    }

    @Test
    void writesListsAndReadsBackWholeSnapshotsOldestFirst() throws IOException {
        try (ObjectStore store = ObjectStore.open(s3.location("list"), s3.options())) {
            StoredSnapshot first = store.write(entry("run", "1", Codec.NONE), out -> out.write(big));
            StoredSnapshot second = store.write(entry("run", "2", Codec.GZIP), out -> out.write(small));

            assertThat(big.length).isGreaterThan(2 * S3Options.MIN_PART_BYTES);
            assertThat(first.key()).isEqualTo("list/run_1");
            assertThat(first.location()).isEqualTo("s3://" + s3.bucket() + "/list/run_1");
            assertThat(second.name()).isEqualTo("run_2");
            assertThat(second.codec()).isEqualTo("gz");
            assertThat(store.list()).extracting(StoredSnapshot::key).containsExactly("list/run_1", "list/run_2.gz");
            assertThat(store.list()).extracting(StoredSnapshot::bytes).containsExactly((long) big.length, (long)
                    small.length);
            assertThat(read(store, first)).isEqualTo(big);
            assertThat(read(store, second)).isEqualTo(small);
            assertThat(store.holds("list/run_2.gz")).isTrue();
            assertThat(store.holds("list/run_3.gz")).isFalse();
            try (SnapshotReader reader = SnapshotReader.open(store.open(second), second.location())) {
                assertThat(reader.verify()).isPositive();
            }
            assertThat(store.describe()).isEqualTo("s3://" + s3.bucket() + "/list");
        }
    }

    @Test
    void theCurrentPointerIsAnObjectNamingTheNewestSnapshotAndIsNotListed() {
        try (ObjectStore store = ObjectStore.open(s3.location("current"), s3.options())) {
            assertThat(store.current("run")).isEmpty();
            store.write(entry("run", "1", Codec.GZIP), out -> out.write(small));
            StoredSnapshot second = store.write(entry("run", "2", Codec.GZIP), out -> out.write(small));
            store.write(entry("other", "1", Codec.GZIP), out -> out.write(small));

            assertThat(store.current("run"))
                    .contains(second)
                    .get()
                    .extracting(StoredSnapshot::bytes)
                    .isEqualTo((long) small.length);
            assertThat(pointerText("current/run_current")).isEqualTo("run_2.gz");
            assertThat(store.list())
                    .extracting(StoredSnapshot::name)
                    .containsExactlyInAnyOrder("run_1", "run_2", "other_1");
            assertThat(store.resolve(s3.location("current/run_1.gz")).key()).isEqualTo("current/run_1.gz");
            assertThat(store.resolve(s3.location("current")).key()).isIn("current/run_2.gz", "current/other_1.gz");
        }
    }

    @Test
    void aTakenNameGetsADistinctOneAndTheFirstSnapshotIsNotReplaced() {
        try (ObjectStore store = ObjectStore.open(s3.location("names"), s3.options())) {
            StoredSnapshot first = store.write(entry("run", "1", Codec.NONE), out -> out.write(big));
            StoredSnapshot again = store.write(entry("run", "1", Codec.NONE), out -> out.write(small));
            StoredSnapshot third = store.write(entry("run", "1", Codec.NONE), out -> out.write(small));

            assertThat(again.key()).isEqualTo("names/run_1+abcdef12");
            assertThat(third.key()).isEqualTo("names/run_1+abcdef12-2");
            assertThat(read(store, first)).isEqualTo(big);
            assertThat(store.current("run")).contains(third);
        }
    }

    @Test
    void aWriterThatTakesTheNameDuringTheUploadIsNotReplaced() {
        byte[] theirs = "another writer's snapshot".getBytes(StandardCharsets.UTF_8);
        try (ObjectStore store = ObjectStore.open(s3.location("race"), s3.options())) {
            for (byte[] ours : List.of(small, big)) { // one PutObject, then a multipart upload
                String key = "race/run_" + ours.length;
                assertThatThrownBy(() -> store.write(entry("run", String.valueOf(ours.length), Codec.NONE), out -> {
                            out.write(ours);
                            s3.admin()
                                    .putObject(
                                            request ->
                                                    request.bucket(s3.bucket()).key(key),
                                            software.amazon.awssdk.core.sync.RequestBody.fromBytes(theirs));
                        }))
                        .isInstanceOf(SnapshotException.class)
                        .hasMessage("cannot write s3://" + s3.bucket() + "/" + key
                                + ": another writer took the name meanwhile (nothing replaced; runs writing one"
                                + " prefix race for its names: give each run a prefix of its own)");
                assertThat(s3.admin()
                                .getObjectAsBytes(
                                        request -> request.bucket(s3.bucket()).key(key))
                                .asByteArray())
                        .isEqualTo(theirs);
            }
            assertThat(store.current("run")).isEmpty();
            assertThat(s3.admin()
                            .listMultipartUploads(
                                    request -> request.bucket(s3.bucket()).prefix("race/"))
                            .uploads())
                    .isEmpty();
        }
    }

    @Test
    void deletesAndPinsWithMarkersAndNamesWhatPruneMustKeep() {
        try (ObjectStore store = ObjectStore.open(s3.location("pins"), s3.options())) {
            StoredSnapshot first = store.write(entry("run", "1", Codec.GZIP), out -> out.write(small));
            StoredSnapshot second = store.write(entry("run", "2", Codec.GZIP), out -> out.write(small));
            StoredSnapshot third = store.write(entry("run", "3", Codec.GZIP), out -> out.write(small));

            assertThat(store.isPinned(first)).isFalse();
            store.pin(first);
            assertThat(store.isPinned(first)).isTrue();
            assertThat(exists("pins/.run_1.gz.pin")).isTrue();
            assertThat(store.protections()).isEqualTo(Map.of("pins/run_1.gz", "pinned", "pins/run_3.gz", "current"));
            assertThat(store.list())
                    .extracting(StoredSnapshot::key)
                    .containsExactly("pins/run_1.gz", "pins/run_2.gz", "pins/run_3.gz");

            store.delete(second);
            assertThat(store.list()).extracting(StoredSnapshot::key).containsExactly("pins/run_1.gz", "pins/run_3.gz");
            assertThat(exists("pins/run_2.gz")).isFalse();

            assertThat(store.unpin(first)).isTrue();
            assertThat(store.unpin(first)).isFalse();
            assertThat(store.isPinned(first)).isFalse();
            assertThat(store.protections()).isEqualTo(Map.of(third.key(), "current"));
        }
    }

    @Test
    void aBodyThatFailsMidWriteLeavesNoObjectNoUploadAndThePointerWhereItWas() {
        try (ObjectStore store = ObjectStore.open(s3.location("failing"), s3.options())) {
            StoredSnapshot kept = store.write(entry("run", "1", Codec.GZIP), out -> out.write(small));

            assertThatThrownBy(() -> store.write(entry("run", "2", Codec.NONE), out -> {
                        out.write(big); // three parts are sent before the body breaks
                        throw new IOException("disk of the training node failed");
                    }))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessage(
                            "cannot write s3://" + s3.bucket() + "/failing/run_2: disk of the training node failed");
            assertThatThrownBy(() -> store.write(entry("run", "3", Codec.GZIP), out -> {
                        out.write(small);
                        throw new SnapshotException("unit 'draw' cannot be saved");
                    }))
                    .hasMessage("unit 'draw' cannot be saved");

            assertThat(store.list()).containsExactly(kept);
            assertThat(s3.admin()
                            .listObjectsV2(
                                    request -> request.bucket(s3.bucket()).prefix("failing/"))
                            .contents())
                    .extracting(object -> object.key())
                    .containsExactlyInAnyOrder("failing/run_1.gz", "failing/run_current");
            assertThat(s3.admin()
                            .listMultipartUploads(
                                    request -> request.bucket(s3.bucket()).prefix("failing/"))
                            .uploads())
                    .isEmpty();
            assertThat(store.current("run")).contains(kept);
        }
    }

    @Test
    void abortsStaleUploadsOfItsPrefixOnly() {
        s3.admin().createMultipartUpload(request -> request.bucket(s3.bucket()).key("stale/run_1.gz"));
        s3.admin().createMultipartUpload(request -> request.bucket(s3.bucket()).key("elsewhere/run_1.gz"));
        try (ObjectStore store = ObjectStore.open(s3.location("stale"), s3.options())) {
            assertThat(store.abortStaleUploads(Duration.ofHours(1))).isZero();
            assertThat(store.abortStaleUploads(Duration.ZERO)).isEqualTo(1);
        }
        assertThat(s3.admin()
                        .listMultipartUploads(request -> request.bucket(s3.bucket()))
                        .uploads())
                .extracting(upload -> upload.key())
                .containsExactly("elsewhere/run_1.gz");
    }

    @Test
    void aSnapshotSuffixCannotTakeThePointersName() {
        try (ObjectStore store = ObjectStore.open(s3.location("reserved"), s3.options())) {
            assertThatThrownBy(() -> store.write(entry("run", "current", Codec.NONE), out -> out.write(small)))
                    .hasMessageContaining("'current' is reserved");
            assertThatThrownBy(() -> store.write(entry("../up", "1", Codec.NONE), out -> out.write(small)))
                    .hasMessageContaining("snapshot prefix '../up' must start with a letter or digit");
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void anUploadsThreadsRunAtTheWritingThreadsPriority() throws Exception {
        assumeTrue(Platform.isLinux() && ThreadNice.available(), "per-thread nice values are Linux's");
        int run = ThreadNice.callingThreadNice().orElseThrow();
        assumeTrue(run <= ThreadNice.LOWEST - 3, "this test's JVM already runs at nice " + run);
        int before = partThreads(0).keySet().stream().max(Integer::compare).orElse(0);
        try (ObjectStore store = ObjectStore.open(s3.location("nice"), s3.options())) {
            // A background write lowers its thread first (BackgroundWrites), then writes.
            Map<Integer, Integer> background = new ConcurrentHashMap<>();
            FutureTask<StoredSnapshot> lowered = new FutureTask<>(() -> {
                ThreadNice.lowerCallingThreadBy(3);
                return store.write(entry("run", "1", Codec.NONE), out -> writeWatching(out, before, background));
            });
            new Thread(lowered, "background-writer").start();
            lowered.get(60, TimeUnit.SECONDS);
            // A shared pool would keep those threads for a minute: wait a while for them to go.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!partThreads(before).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Map<Integer, Integer> synchronous = new ConcurrentHashMap<>();
            store.write(entry("run", "2", Codec.NONE), out -> writeWatching(out, before, synchronous));

            assertThat(background).as("the background write's part threads").isNotEmpty();
            assertThat(background.values()).as("their nice values").containsOnly(run + 3);
            assertThat(synchronous).as("the synchronous write's part threads").isNotEmpty();
            assertThat(synchronous.values()).as("their nice values").containsOnly(run);
        }
    }

    /** Writes {@code big} a MiB at a time, noting the part threads alive after each. */
    private static void writeWatching(OutputStream out, int after, Map<Integer, Integer> seen) throws IOException {
        for (int offset = 0; offset < big.length; offset += 1 << 20) {
            out.write(big, offset, Math.min(1 << 20, big.length - offset));
            seen.putAll(partThreads(after));
        }
    }

    /** The nice value of each live "veles-s3-N" thread of this JVM with N above {@code after}, by N. */
    private static Map<Integer, Integer> partThreads(int after) throws IOException {
        Map<Integer, Integer> threads = new HashMap<>();
        for (LiveThreads.NiceThread thread : LiveThreads.named("veles-s3-").values()) {
            try {
                int number = Integer.parseInt(thread.name().substring("veles-s3-".length()));
                if (number > after) {
                    threads.put(number, thread.nice());
                }
            } catch (NumberFormatException cut) {
                // its name was cut at 15 characters
            }
        }
        return threads;
    }

    static NewSnapshot entry(String prefix, String suffix, Codec codec) {
        return new NewSnapshot(prefix, suffix, Instant.now(), "abcdef12-3456-7890", null, "loop", codec);
    }

    static byte[] snapshotBytes(LoopWorkflow workflow, Codec codec) {
        Manifest manifest = Manifest.builder().name("loop").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SnapshotWriter.write(workflow, manifest, codec, -1, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] read(ObjectStore store, StoredSnapshot snapshot) {
        try (InputStream in = store.open(snapshot)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pointerText(String key) {
        return s3.admin()
                .getObjectAsBytes(request -> request.bucket(s3.bucket()).key(key))
                .asString(StandardCharsets.UTF_8)
                .trim();
    }

    private static boolean exists(String key) {
        List<String> keys =
                s3.admin().listObjectsV2(request -> request.bucket(s3.bucket()).prefix(key)).contents().stream()
                        .map(object -> object.key())
                        .toList();
        return keys.contains(key);
    }
}
