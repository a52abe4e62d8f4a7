package io.veles.snapshot;

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
import io.veles.snapshot.store.DirectoryStore;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.SnapshotBody;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.testing.LiveThreads;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A background write compresses on the threads it may take while the run goes on, and on all of
 * its codec's threads from the moment the run waits for it: the raise comes when {@link
 * BackgroundWrites#collect()} starts waiting, not when the write ends.
 */
class BackgroundWritesTest {
    @TempDir
    Path dir;

    @Test
    void collectRaisesTheWriteInFlightToEveryThreadBeforeItWaits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        try (GatedStore store = new GatedStore(new DirectoryStore(dir), writing, release)) {
            BackgroundWrites writes = new BackgroundWrites();
            BackgroundWrites.Write write = gzipWrite(store, 4, (stored, manifest) -> {});

            assertThat(writes.start(new LoopWorkflow(3, 1000, -1), write, Long.MAX_VALUE))
                    .isNotNull();
            assertThat(writing.await(30, TimeUnit.SECONDS))
                    .as("the write started")
                    .isTrue();
            assertThat(writes.compressingThreads()).as("while the run goes on").isEqualTo(1);

            CompletableFuture<BackgroundWrites.Failure> collected = CompletableFuture.supplyAsync(writes::collect);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (writes.compressingThreads() != 4 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(writes.compressingThreads())
                    .as("once the run waits, with the write still held")
                    .isEqualTo(4);
            assertThat(collected).as("collect waits for the write").isNotDone();

            release.countDown();
            assertThat(collected.get(30, TimeUnit.SECONDS)).as("no failure").isNull();
            writes.close();
            StoredSnapshot stored = store.list().get(0);
            try (InputStream in = store.open(stored);
                    SnapshotReader reader = SnapshotReader.open(in, stored.location())) {
                reader.verify();
            }
        }
    }

    @Test
    void closingWithAWriteInFlightFreesTheCopyOnlyAfterTheWriteHasReadIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch stored = new CountDownLatch(1);
        try (GatedStore store = new GatedStore(new DirectoryStore(dir), writing, release)) {
            BackgroundWrites writes = new BackgroundWrites();
            BackgroundWrites.Write write = gzipWrite(store, 2, (done, manifest) -> stored.countDown());
            LoopWorkflow workflow = new LoopWorkflow(3, 500_000, -1); // megabytes: many 256 KiB pieces
            String expected = workflow.state();

            assertThat(writes.start(workflow, write, Long.MAX_VALUE)).isNotNull();
            assertThat(writing.await(30, TimeUnit.SECONDS))
                    .as("the write started")
                    .isTrue();
            writes.close(); // the copy is still unread: the gated store has not taken its bytes yet
            release.countDown();
            assertThat(stored.await(60, TimeUnit.SECONDS))
                    .as("the write in flight ended stored")
                    .isTrue();

            StoredSnapshot snapshot = store.list().get(0);
            try (InputStream in = store.open(snapshot);
                    SnapshotReader reader = SnapshotReader.open(in, snapshot.location())) {
                assertThat(Snapshots.restore(reader, LoopWorkflow.class, List.of())
                                .state())
                        .as("the state written from a copy freed only after the write")
                        .isEqualTo(expected);
            }
        }
    }

    /**
     * The run's thread interrupted while it waits for the write in flight: the wait fails, but
     * closing still waits for the write, so that the store and the prefix lock released after it
     * are never released under a write that goes on.
     */
    @Test
    void closingAfterAnInterruptedWaitStillWaitsForTheWrite() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch stored = new CountDownLatch(1);
        try (GatedStore store = new GatedStore(new DirectoryStore(dir), writing, release)) {
            BackgroundWrites writes = new BackgroundWrites();
            BackgroundWrites.Write write = gzipWrite(store, 2, (done, manifest) -> stored.countDown());
            assertThat(writes.start(new LoopWorkflow(3, 1000, -1), write, Long.MAX_VALUE))
                    .isNotNull();
            assertThat(writing.await(30, TimeUnit.SECONDS))
                    .as("the write started")
                    .isTrue();

            Thread.currentThread().interrupt();
            assertThatThrownBy(writes::collect)
                    .isInstanceOf(SnapshotException.class)
                    .hasMessage("interrupted while a snapshot was being written in the background");
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();

            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                release.countDown();
            });
            releaser.start();
            Thread.currentThread().interrupt(); // interrupted again, as a stopping run may be
            writes.close();
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
            assertThat(stored.getCount())
                    .as("close returned only once the write was stored")
                    .isZero();
            releaser.join();
        }
    }

    /**
     * A run that goes on after an interrupted wait (a library user catching the failure) takes its
     * next snapshot only once the write it did not wait for has read the copy: filling the copy
     * under that write would store two moments' state under one checksum.
     */
    @Test
    void aSnapshotAfterAnInterruptedWaitWaitsForTheWriteStillReadingTheCopy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        Path second = java.nio.file.Files.createDirectories(dir.resolve("second"));
        try (GatedStore store = new GatedStore(new DirectoryStore(dir), writing, release);
                DirectoryStore other = new DirectoryStore(second)) {
            BackgroundWrites writes = new BackgroundWrites();
            LoopWorkflow workflow = new LoopWorkflow(3, 500_000, -1); // megabytes: many 256 KiB pieces
            workflow.initialize();
            workflow.run();
            String atTheFirstSnapshot = workflow.state();
            assertThat(writes.start(workflow, gzipWrite(store, 2, (done, manifest) -> {}), Long.MAX_VALUE))
                    .isNotNull();
            assertThat(writing.await(30, TimeUnit.SECONDS))
                    .as("the write started")
                    .isTrue();
            Thread.currentThread().interrupt();
            assertThatThrownBy(writes::collect).isInstanceOf(SnapshotException.class);
            assertThat(Thread.interrupted()).isTrue(); // the run takes note, and goes on

            workflow.run(); // the state moves on
            CompletableFuture<Manifest> next = CompletableFuture.supplyAsync(
                    () -> writes.start(workflow, gzipWrite(other, 2, (done, manifest) -> {}), Long.MAX_VALUE));
            Thread.sleep(300);
            assertThat(next)
                    .as("the next snapshot waits for the write still reading the copy")
                    .isNotDone();
            release.countDown();
            assertThat(next.get(60, TimeUnit.SECONDS)).isNotNull();
            assertThat(writes.collect()).as("no failure").isNull();
            writes.close();

            StoredSnapshot first = store.list().get(0);
            try (InputStream in = store.open(first);
                    SnapshotReader reader = SnapshotReader.open(in, first.location())) {
                assertThat(Snapshots.restore(reader, LoopWorkflow.class, List.of())
                                .state())
                        .as("the first snapshot holds the state at its pause alone")
                        .isEqualTo(atTheFirstSnapshot);
            }
        }
    }

    @Test
    void theBackgroundThreadAndTheThreadsItStartsRunBelowTheRun() throws Exception {
        assumeTrue(Platform.isLinux(), "per-thread nice values are Linux's");
        assertThat(ThreadNice.available()).as("libc's setpriority on Linux").isTrue();
        int run = ThreadNice.callingThreadNice().orElseThrow();
        assumeTrue(run <= ThreadNice.LOWEST - 5, "this test's JVM already runs at nice " + run);
        Set<String> writers = ConcurrentHashMap.newKeySet();
        AtomicInteger storedAt = new AtomicInteger(-100);
        awaitNoThreadNamed("veles-compress"); // an earlier test's idle pool ends within a second
        try (GatedStore store =
                new GatedStore(new DirectoryStore(dir), new CountDownLatch(1), new CountDownLatch(0), writers)) {
            BackgroundWrites writes = new BackgroundWrites(5);
            BackgroundWrites.Write write = gzipWrite(
                    store,
                    2,
                    (stored, manifest) ->
                            storedAt.set(ThreadNice.callingThreadNice().orElse(-100)));

            assertThat(writes.start(new LoopWorkflow(3, 500_000, -1), write, Long.MAX_VALUE))
                    .isNotNull();
            assertThat(writes.collect()).as("no failure").isNull();
            writes.close();
        }
        assertThat(storedAt.get()).as("the background thread's nice value").isEqualTo(run + 5);
        assertThat(writers)
                .as("the threads that wrote the file (the compressing stream's writer) and the compressing pool")
                .anySatisfy(writer -> assertThat(writer).startsWith("veles-write"))
                .anySatisfy(writer -> assertThat(writer).startsWith("veles-compress"))
                .allSatisfy(writer -> assertThat(writer).endsWith(" at nice " + (run + 5)));
        assertThat(ThreadNice.callingThreadNice().orElseThrow())
                .as("the run's own")
                .isEqualTo(run);
    }

    private static void awaitNoThreadNamed(String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!LiveThreads.named(name).isEmpty()) {
            assertThat(System.nanoTime())
                    .as("threads called " + name + " still alive")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** A gz snapshot of a loop workflow into {@code store}, compressed on up to {@code threads} once waited for. */
    private static BackgroundWrites.Write gzipWrite(
            SnapshotStore store, int threads, BiConsumer<StoredSnapshot, Manifest> onStored) {
        SnapshotWriter.Options options = new SnapshotWriter.Options(Codec.GZIP, 6, null, null, true, threads);
        NewSnapshot entry = new NewSnapshot("loop", "1", Instant.now(), "run-1", "run-1", "loop", Codec.GZIP);
        return new BackgroundWrites.Write(store, entry, new Manifest(), options, "loop_1.4.gz", 1, null, 1, onStored);
    }

    /**
     * A directory store whose writes wait for the test's signal before they start, and which notes
     * each thread that writes bytes to it, with its nice value, in {@code writers}.
     */
    private record GatedStore(
            SnapshotStore directory, CountDownLatch writing, CountDownLatch release, Set<String> writers)
            implements SnapshotStore {
        GatedStore(SnapshotStore directory, CountDownLatch writing, CountDownLatch release) {
            this(directory, writing, release, ConcurrentHashMap.newKeySet());
        }

        @Override
        public StoredSnapshot write(NewSnapshot snapshot, SnapshotBody body) {
            writing.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the write");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return directory.write(
                    snapshot,
                    out -> body.writeTo(new FilterOutputStream(out) {
                        @Override
                        public void write(byte[] bytes, int offset, int length) throws IOException {
                            boolean firstWrite =
                                    writers.add(Thread.currentThread().getName() + " at nice "
                                            + ThreadNice.callingThreadNice().orElse(-100));
                            if (firstWrite) { // the compressing pool made this block, and idles a second
                                LiveThreads.named("veles-compress")
                                        .values()
                                        .forEach(pool -> writers.add(pool.toString()));
                            }
                            out.write(bytes, offset, length);
                        }
                    }));
        }

        @Override
        public String describe() {
            return directory.describe();
        }

        @Override
        public List<StoredSnapshot> list() {
            return directory.list();
        }

        @Override
        public InputStream open(StoredSnapshot snapshot) {
            return directory.open(snapshot);
        }

        @Override
        public void delete(StoredSnapshot snapshot) {
            directory.delete(snapshot);
        }

        @Override
        public void pin(StoredSnapshot snapshot) {
            directory.pin(snapshot);
        }

        @Override
        public boolean unpin(StoredSnapshot snapshot) {
            return directory.unpin(snapshot);
        }

        @Override
        public boolean isPinned(StoredSnapshot snapshot) {
            return directory.isPinned(snapshot);
        }

        @Override
        public Map<String, String> protections() {
            return directory.protections();
        }

        @Override
        public Optional<StoredSnapshot> current(String prefix) {
            return directory.current(prefix);
        }

        @Override
        public WriterLock lockPrefix(String prefix, String runId) {
            return directory.lockPrefix(prefix, runId);
        }

        @Override
        public void close() {
            directory.close();
        }
    }

    @Test
    void closingBeforeTheFirstSnapshotStopsAllocatingTheCopyAhead() throws Exception {
        long wanted = Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4);
        BackgroundWrites writes = new BackgroundWrites();
        StateCopy copy = writes.reserve(wanted, () -> {});
        Thread.sleep(5); // the allocating loop has started (or not: cancelled before, it never runs)
        writes.close();
        long atClose = copy.allocated(); // not capacity(): close frees the pieces
        Thread.sleep(500); // time to allocate several hundred MiB, had it gone on
        assertThat(copy.allocated())
                .as("memory a closed snapshotter went on allocating")
                .isEqualTo(atClose)
                .isLessThan(wanted);
        assertThat(copy.capacity()).as("memory still held after close").isZero();
    }

    @Test
    void theWarmUpRunsOnTheBackgroundThreadAndMayFail() throws Exception {
        BackgroundWrites writes = new BackgroundWrites();
        java.util.concurrent.atomic.AtomicReference<String> ranOn = new java.util.concurrent.atomic.AtomicReference<>();
        StateCopy copy =
                writes.reserve(1 << 20, () -> ranOn.set(Thread.currentThread().getName()));
        assertThat(writes.copyCapacity()).as("waits for the allocation").isGreaterThanOrEqualTo(1 << 20);
        writes.close();
        assertThat(ranOn.get()).isEqualTo("veles-snapshot");
        assertThat(copy.allocated()).as("allocated (close then frees it)").isGreaterThanOrEqualTo(1 << 20);

        BackgroundWrites failing = new BackgroundWrites();
        failing.reserve(1 << 20, () -> {
            throw new IllegalStateException("a warm-up that fails");
        });
        assertThat(failing.copyCapacity()).as("the copy is still had").isGreaterThanOrEqualTo(1 << 20);
        failing.close();
    }
}
