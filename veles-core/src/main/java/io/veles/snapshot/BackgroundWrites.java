package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.internal.util.ByteCounts;
import io.veles.internal.util.ThreadNice;
import io.veles.internal.util.Uninterruptibly;
import io.veles.progress.Progress;
import io.veles.snapshot.codec.CompressionThreads;
import io.veles.snapshot.file.Differential;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.workflow.Workflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The background half of an asynchronous snapshot: copies the state into memory while the
 * workflow waits, then compresses and stores the copy on its own thread, on fewer compressing
 * threads than cores until the run waits for it (see {@link CompressionThreads}). Holds at most
 * one write in flight. {@link Snapshotter} decides when to write and what, and applies the failure policy
 * to what {@link #collect()} returns; this class owns the thread, the copy and the pending write.
 */
final class BackgroundWrites {
    // Under the snapshotter's name: these lines are its snapshots, as users read them.
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    /**
     * One snapshot to store in the background.
     *
     * @param target      the store it goes to
     * @param entry       its name and facts in the store
     * @param manifest    what the snapshotter puts in its manifest; the writer completes a copy
     * @param options     codec, level, key and code backup
     * @param destination where it goes, for messages
     * @param runsCovered the snapshotter's runs it saves, given back if it fails
     * @param pending     its place among the run's differential snapshots, or null when they are off
     * @param threadsWhileRunning threads that compress it while the run goes on; once the run
     *                    waits for it ({@link #collect()}), every thread of {@code options} does
     * @param onStored    run on the background thread once it is stored, with the manifest written
     *                    (record it, retention)
     */
    record Write(
            SnapshotStore target,
            NewSnapshot entry,
            Manifest manifest,
            SnapshotWriter.Options options,
            String destination,
            int runsCovered,
            Differential.Pending pending,
            int threadsWhileRunning,
            BiConsumer<StoredSnapshot, Manifest> onStored) {}

    /** A background write that failed: why, and the runs it was to save. */
    record Failure(SnapshotException error, int runsCovered) {}

    /** Steps of priority the background thread, and the threads it starts, take below the run. */
    private final int niceSteps;
    /** Whether the background thread lowered its priority yet; read and written by that thread alone. */
    private boolean lowered;

    private ExecutorService executor;
    /** The copy's memory being allocated ahead of the first snapshot, or null. */
    private Future<?> reserving;

    private Future<?> inFlight;
    /** A write whose collect() was interrupted: {@link #close} waits for it before anything is released. */
    private Future<?> unwaited;

    private int inFlightRuns;
    private CompressionThreads inFlightThreads;
    private StateCopy copy;
    private volatile String writingTo; // the destination of the snapshot being stored now
    /** How long the last {@link #collect()} waited for a write in flight: part of the next pause. */
    private long waitedNanos;

    /** Background writes at the run's own priority. */
    BackgroundWrites() {
        this(0);
    }

    /**
     * Background writes whose thread runs {@code niceSteps} nice values below the run (see
     * {@link ThreadNice}); so do the compressing and writing threads it starts, which inherit it.
     */
    BackgroundWrites(int niceSteps) {
        this.niceSteps = niceSteps;
    }

    /**
     * Copies {@code main}'s state into memory now and leaves compressing and storing it to the
     * background thread. Returns the manifest being written, or null, having written nothing, when
     * the copy would exceed {@code memoryLimit} bytes: the caller then writes synchronously. The
     * caller has collected the previous write.
     */
    Manifest start(Workflow main, Write write, long memoryLimit) {
        long copyStarted = System.nanoTime(); // the pause the log reports, any wait for the memory included
        awaitUnwaited();
        awaitReserved();
        if (copy == null) {
            copy = new StateCopy();
        }
        StateCopy state = copy; // free: at most one snapshot is in flight, and it was collected
        SnapshotWriter.Options options = write.options();
        Manifest manifest;
        SnapshotWriter.Unfinished unfinished;
        try {
            SnapshotWriter.Prepared prepared = SnapshotWriter.prepare(main, write.manifest(), options);
            long bytes = prepared.containerBytes(options);
            if (bytes > memoryLimit) {
                copy = null; // the kept pieces are no use to a state this size
                state.release(); // nothing uses them: the previous write was collected
                LOG.info(
                        "snapshot {} needs a {} copy, above snapshotter.async_memory_mb ({}): writing it synchronously",
                        write.destination(),
                        ByteCounts.format(bytes),
                        ByteCounts.format(memoryLimit));
                return null;
            }
            manifest = prepared.manifest();
            state.reset();
            state.trimTo(bytes);
            // Shuffling, checksumming and signing the copy are left to the background thread.
            try {
                unfinished = SnapshotWriter.writeUnfinished(main, prepared, options, state);
            } catch (Throwable e) { // anything, checked ones thrown by user code included
                state.awaitFillsAfterFailure(); // no fill may still write once the pieces are reused
                throw e;
            }
            try {
                state.awaitFills(); // the arrays are in the copy before the run changes them
            } catch (IllegalStateException e) {
                throw new SnapshotException(
                        "cannot copy the state for snapshot " + write.destination() + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new SnapshotException(
                    "cannot copy the state for snapshot " + write.destination() + ": " + e.getMessage(), e);
        }
        long copyNanos = System.nanoTime() - copyStarted;
        long waited = waitedNanos; // the snapshotter collected the previous write just before
        waitedNanos = 0;
        inFlightRuns = write.runsCovered();
        CompressionThreads threads = CompressionThreads.startingAt(write.threadsWhileRunning(), options.threads());
        inFlightThreads = threads;
        inFlight = executor().submit(() -> {
            store(write, manifest, state, unfinished, threads, copyNanos, waited);
            return null;
        });
        return manifest;
    }

    /**
     * Starts allocating the copy for a state of {@code bytes} on the background thread, so that
     * the first snapshot's pause is a copy into memory already touched, as every later one is:
     * here 2.2 s against 0.09 s for 668 MiB. Then runs {@code warmUp} on the same thread; its
     * failure is only logged. Call before the first {@link #start}. Returns the copy being filled.
     */
    StateCopy reserve(long bytes, Runnable warmUp) {
        if (copy == null) {
            copy = new StateCopy();
        }
        StateCopy state = copy;
        reserving = executor().submit(() -> {
            state.reserve(bytes);
            if (!Thread.currentThread().isInterrupted()) {
                try {
                    warmUp.run();
                } catch (RuntimeException e) {
                    LOG.debug("the first snapshot's writing was not prepared ahead: {}", e.toString());
                }
            }
        });
        return state;
    }

    /**
     * Waits, whatever interrupts, for a write whose wait was interrupted ({@link #collect}): it
     * may still be reading the copy this snapshot is about to fill. Its failure was the
     * interrupted wait's to report.
     */
    private void awaitUnwaited() {
        Future<?> write = unwaited;
        if (write == null) {
            return;
        }
        Uninterruptibly.run(() -> {
            try {
                write.get();
            } catch (ExecutionException | CancellationException e) {
                // reported, as far as it could be, by the interrupted wait
            }
        });
        unwaited = null;
    }

    /**
     * Waits for the copy's memory; if it could not all be had, the copy allocates the rest as it
     * goes. Interrupted, the allocation goes on, so it stays to be waited for by the next snapshot:
     * the copy must not be filled while it is still being allocated.
     */
    private void awaitReserved() {
        Future<?> pending = reserving;
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException("interrupted while the state's copy was being allocated", e);
        } catch (ExecutionException e) {
            LOG.debug(
                    "the state's copy was not allocated ahead: {}", e.getCause().toString());
        }
        reserving = null;
    }

    /** Memory held by the copy, once any allocation ahead is done. */
    long copyCapacity() {
        awaitReserved();
        return copy == null ? 0 : copy.capacity();
    }

    private ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "veles-snapshot");
                thread.setDaemon(true);
                return thread;
            });
        }
        return executor;
    }

    private void store(
            Write write,
            Manifest manifest,
            StateCopy state,
            SnapshotWriter.Unfinished unfinished,
            CompressionThreads threads,
            long copyNanos,
            long waitNanos)
            throws IOException {
        lowerPriorityOnce();
        SnapshotWriter.Options options = write.options();
        writingTo = write.destination();
        StoredSnapshot stored;
        long started = System.nanoTime();
        try {
            stored = write.target().write(write.entry(), out -> {
                try (OutputStream compressed = Progress.trackInBackground(
                        options.codec().compress(out, options.level(), threads),
                        "writing " + manifest.name,
                        state.size() + unfinished.trailerBytes())) {
                    if (write.pending() == null) {
                        unfinished.finish(state::writeTo, compressed);
                    } else {
                        SnapshotWriter.encode(
                                write.pending(),
                                manifest,
                                options,
                                container -> unfinished.finish(state::writeTo, container),
                                compressed);
                    }
                }
            });
        } finally {
            writingTo = null;
        }
        LOG.info(
                "snapshot {}: {} of state, {} stored ({}{}, the run paused {} s for the copy{}, written in the background in {} s)",
                stored.location(),
                ByteCounts.format(manifest.payloadBytes),
                ByteCounts.format(stored.bytes()),
                options.codec().argument(),
                write.pending() != null && write.pending().isDifferential()
                        ? ", differential against " + write.pending().fileManifest(manifest).base
                        : "",
                seconds(copyNanos),
                // Snapshots due faster than they are written: the run also waited for the one before.
                waitNanos >= 500_000 ? " after " + seconds(waitNanos) + " s waiting for the previous one" : "",
                seconds(System.nanoTime() - started));
        write.onStored()
                .accept(
                        stored,
                        write.pending() == null ? manifest : write.pending().fileManifest(manifest));
    }

    /**
     * Lowers the background thread's priority before its first write, not when it starts: the
     * allocation ahead that it runs first is waited for by the first snapshot's pause.
     */
    private void lowerPriorityOnce() {
        if (lowered || niceSteps == 0) {
            return;
        }
        lowered = true;
        try {
            ThreadNice.lowerCallingThreadBy(niceSteps);
        } catch (LinkageError e) { // JNA missing from a trimmed class path: write at the run's priority
            LOG.debug("the background thread keeps the run's priority: {}", e.toString());
        }
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9);
    }

    /** The destination of the snapshot this thread is storing at this moment, or null. */
    String writingTo() {
        return writingTo;
    }

    /** The threads allowed now to compress the latest write, in flight or done; 0 before the first. */
    int compressingThreads() {
        CompressionThreads threads = inFlightThreads;
        return threads == null ? 0 : threads.allowed();
    }

    /**
     * Waits for the write in flight, if any. Returns its failure, or null when it was stored or
     * none was in flight. Interrupted, it throws: the wait, not the snapshot, failed.
     */
    /** Whether the write in flight, if any, has ended (stored or failed): collecting it would not wait. */
    boolean writeEnded() {
        Future<?> pending = inFlight;
        return pending == null || pending.isDone();
    }

    Failure collect() {
        Future<?> pending = inFlight;
        waitedNanos = 0;
        if (pending == null) {
            return null;
        }
        inFlight = null;
        inFlightThreads.useAll(); // the run waits now: nothing to leave a core to
        long waitStarted = System.nanoTime();
        try {
            pending.get();
            return null;
        } catch (InterruptedException e) {
            unwaited = pending; // close() still waits for it: the store and the prefix lock outlive it
            Thread.currentThread().interrupt();
            throw new SnapshotException("interrupted while a snapshot was being written in the background", e);
        } catch (ExecutionException e) {
            SnapshotException failure = e.getCause() instanceof SnapshotException
                    ? (SnapshotException) e.getCause()
                    : new SnapshotException("snapshot failed in the background: " + e.getCause(), e.getCause());
            return new Failure(failure, inFlightRuns);
        } finally {
            waitedNanos = System.nanoTime() - waitStarted; // a failed write was waited for too
        }
    }

    /**
     * Ends the thread once the write in flight, if any, is done, and frees the copy's memory after
     * it. An allocation ahead still going (a run that ended before its first snapshot) stops
     * first: it would otherwise go on filling memory with a copy nobody will use.
     */
    void close() {
        Future<?> write = unwaited;
        unwaited = null;
        if (write != null) {
            // interrupts or not: the store and the prefix lock, released next, must not outlive it
            Uninterruptibly.run(() -> {
                try {
                    write.get();
                } catch (ExecutionException | CancellationException e) {
                    // its failure was the interrupted collect()'s to report, which could not
                }
            });
        }
        Future<?> pending = reserving;
        reserving = null;
        boolean stopping = pending != null && pending.cancel(true);
        if (executor != null) {
            if (copy != null) {
                executor.execute(copy::release); // on the writing thread: after the write in flight
            }
            executor.shutdown();
            if (stopping) {
                // Nothing else ran yet (the first write waits for the allocation): this waits for
                // the allocating loop to see the interrupt, one piece at most.
                try {
                    executor.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            executor = null;
        }
        copy = null;
    }
}
