package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotLockedException;
import io.veles.internal.format.FrozenFacts;
import io.veles.internal.pickle.GraphWriter;
import io.veles.internal.util.ByteCounts;
import io.veles.snapshot.file.Differential;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.CodeBackup;
import io.veles.snapshot.format.CodeFingerprint;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.snapshot.format.UnitSummary;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.workflow.Bool;
import io.veles.workflow.RunContext;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A unit that writes snapshots of the main workflow as it runs, as VELES's snapshotter: link it
 * into the loop, and each run counts toward the next snapshot.
 *
 * <p>The rule: each run counts; while the count is below {@code interval}, or {@link #skip()} is
 * set, nothing is written; otherwise the count resets and a snapshot is written, unless the last
 * one is younger than {@code time_interval} seconds. On stop, a snapshot is written if runs were
 * counted since the last one and {@code skip} is not set. A decision unit sets {@link #suffix}
 * (e.g. the epoch and validation error) to name the next snapshot.
 *
 * <p>A snapshot is taken while this unit runs, after its counters are updated, so that a restore
 * continues with the units that follow it in the same iteration.
 *
 * <p>{@link #create} picks where snapshots go from the settings, as VELES's
 * {@code Snapshotter} does: files, or a database when {@code odbc} is given.
 */
public abstract class Snapshotter extends Unit {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    // The settings as recorded in snapshots, with the connection string's secrets removed: what
    // inspect and diff show, and where a resumed run takes its codec and cadence from.
    private SnapshotSettings recorded;
    // The settings this process uses, with the real connection string. Never captured: where a
    // resumed run writes, and what it deletes, come from its own command line and defaults.
    private transient SnapshotSettings settings_;
    private Bool skip = new Bool(false);
    /** Set by {@link #disable}: this run takes no snapshot and never opens the store. */
    private transient boolean disabled_;

    private String suffix;
    private final LinkedHashMap<String, Object> info = new LinkedHashMap<>();
    private int counter;
    private int runsSinceSnapshot;
    private long lastSnapshotMillis;
    private int snapshotsTaken;
    private String destination;
    private String lastSuffix; // the suffix the last snapshot was named by, before any "_stop"
    private transient boolean sizeWarned_;
    private transient SnapshotKey key_;
    private transient byte[] codeBackup_;
    private transient SnapshotStore store_;
    private transient SnapshotStore.WriterLock lock_;
    private transient OwnSnapshots own_;
    private transient volatile BackgroundWrites background_;
    private transient Differential differential_; // with snapshotter.incremental: what the next may reference
    private transient volatile Stored confirmed_; // the last snapshot stored completely
    private transient volatile String writingTo_; // the destination of a snapshot stored now by this thread
    private transient long lastPauseNanos_;
    private transient long unitsRunAtSnapshot_; // the main workflow's unitsRun() when the last snapshot was taken
    /**
     * This unit's runs in this process since the last snapshot it wrote, a stop's included: for a
     * snapshotter run outside a scheduler (tests, tools), where unitsRun() does not count.
     * Not {@link #runsSinceSnapshot}, the cadence's, which a stop's snapshot leaves as it was and
     * a snapshot carries into the next process.
     */
    private transient int ownRunsSinceSnapshot_;
    /** Whether this process tried a stop's snapshot: {@link #stop()} then takes none (not after units stopped). */
    private transient boolean stopSnapshotTried_;
    /** The suffix and time of the last snapshot before the one in the background: put back if it fails. */
    private transient String suffixBeforeBackground_;

    private transient long millisBeforeBackground_;

    protected Snapshotter(Workflow workflow, String name, SnapshotSettings settings) {
        super(workflow, name);
        this.settings_ = settings;
        this.recorded = settings.withoutSecrets();
    }

    /** A snapshotter for {@code settings}: into a database if {@code odbc} is set, else into files. */
    public static Snapshotter create(Workflow workflow, SnapshotSettings settings) {
        return settings.odbc() != null
                ? new SnapshotterToDB(workflow, settings)
                : new SnapshotterToFile(workflow, settings);
    }

    /**
     * The settings in force. After a restore that nobody reconfigured (see {@link #reconfigure}),
     * the location (directory, prefix, database, retention, code backup) is the defaults', never
     * the snapshot's; the codec and cadence continue as recorded.
     */
    public SnapshotSettings settings() {
        if (settings_ == null) {
            settings_ = recorded.withLocationOf(
                    SnapshotSettings.defaults(mainWorkflow().name()));
        }
        return settings_;
    }

    /** The settings as the snapshot recorded them, secrets removed: for tools, never for writing. */
    public SnapshotSettings recordedSettings() {
        return recorded;
    }

    /**
     * Replaces the settings, e.g. with a restored run's command-line options. Where snapshots go
     * follows the new settings: {@code --odbc} on a resume sends them to that database.
     */
    public void reconfigure(SnapshotSettings newSettings) {
        releaseStore();
        this.settings_ = newSettings;
        this.recorded = newSettings.withoutSecrets();
    }

    /** Signs the snapshots this unit writes with {@code key} (null: unsigned). Never captured. */
    public void signWith(SnapshotKey key) {
        this.key_ = key;
    }

    /** While set, runs count but no snapshot is written (e.g. {@code decision.improved.not()}). */
    public Bool skip() {
        return skip;
    }

    public Snapshotter skip(Bool gate) {
        this.skip = gate;
        return this;
    }

    /**
     * Takes no snapshot in this run, not even a final one, and touches no store: no prefix lock,
     * no directory or table made ({@code veles run --no-snapshots}). Unlike a {@link #skip} gate,
     * which may open later, nothing is checked up front. Not captured.
     */
    public Snapshotter disable() {
        this.disabled_ = true;
        this.skip = new Bool(true);
        return this;
    }

    /** The next snapshot's name is {@code <prefix>_<suffix>}; by default a running number. */
    public String suffix() {
        return suffix;
    }

    public void suffix(String newSuffix) {
        this.suffix = newSuffix;
    }

    /** Facts recorded in each snapshot's manifest (a decision adds its epoch and metric). */
    public Map<String, Object> info() {
        return info;
    }

    /** Where the last snapshot went (a path or a database source), or null before the first. */
    public String destination() {
        return destination;
    }

    public int snapshotsTaken() {
        return snapshotsTaken;
    }

    /**
     * Checks where snapshots will go before the first run, so that a bad connection string or an
     * unreachable database stops the run at once rather than hours later (under
     * {@code on_failure=warn} it is logged, and each snapshot tries again).
     */
    @Override
    public void initialize() {
        super.initialize();
        if (disabled_) {
            return;
        }
        try {
            lockPrefix(runContext().id());
        } catch (SnapshotException e) {
            if (settings().onFailure() == SnapshotSettings.FailurePolicy.FAIL || e instanceof SnapshotLockedException) {
                throw e; // a prefix another live run writes is never shared, whatever the policy
            }
            releaseStore();
            LOG.error(
                    "snapshots cannot be stored yet, the run goes on (snapshotter.on_failure=warn): {}",
                    e.getMessage());
        }
    }

    /**
     * Allocates an asynchronous snapshot's copy of the state on the background thread, ahead of
     * the first snapshot, so that the run does not wait for new memory then. Called by the
     * launcher once the workflow is initialised; does nothing for synchronous snapshots or a state
     * above {@code async_memory_mb}, and a state it cannot measure is left to the snapshot to report.
     * The same thread then prepares the manifest's writing ({@link SnapshotWriter#warmUp}).
     */
    public void reserveBackgroundCopy() {
        if (!settings().async() || skip.get() || (background_ != null && snapshotsTaken > 0)) {
            return;
        }
        GraphWriter.Layout layout;
        try {
            layout = GraphWriter.measure(mainWorkflow());
        } catch (RuntimeException e) {
            LOG.debug("the state's size is not known before the first snapshot: {}", e.toString());
            return;
        }
        if (layout.payloadBytes() > settings().asyncMemoryBytes()) {
            return;
        }
        if (background_ == null) {
            background_ = new BackgroundWrites(settings().backgroundNice());
        }
        background_.reserve(layout.payloadBytes(), warmUp(layout));
    }

    /**
     * What the first snapshot would otherwise do in its pause: the manifest's JSON writing set up
     * for one like {@code layout}'s, and the class files of the code fingerprint opened. Keeps a
     * few of the layout's units and its classes, not its recorded payload; reads nothing of the
     * state.
     */
    private Runnable warmUp(GraphWriter.Layout layout) {
        // A few units are enough to build the serializers; all of them would be written twice
        // should the first snapshot come before this is done (it waits for it).
        List<UnitSummary> units = layout.units();
        Manifest like = new Manifest()
                .toBuilder()
                        .units(units.subList(0, Math.min(16, units.size())))
                        .classes(layout.classes())
                        .created(Instant.now().toString())
                        .filters(List.of("shuffle"))
                        .build();
        ClassLoader loader = mainWorkflow().getClass().getClassLoader();
        return () -> {
            SnapshotWriter.warmUp(like);
            CodeFingerprint.of(like.classes, loader);
        };
    }

    /** Whether no background write is going on, collected or not (for tests). */
    boolean backgroundWriteEnded() {
        return background_ == null || background_.writeEnded();
    }

    /** Memory held for the background copy, once any allocation ahead is done (for tests). */
    long backgroundCopyBytes() {
        return background_ == null ? 0 : background_.copyCapacity();
    }

    @Override
    public void run() {
        counter++;
        runsSinceSnapshot++;
        ownRunsSinceSnapshot_++;
        if (counter < settings().interval() || skip.get()) {
            return;
        }
        counter = 0;
        if (background_ != null && background_.writeEnded()) {
            // a background write that failed is undone before the time gate reads its time
            // (collecting one still going would pause the run: take() does that when due)
            collectBackground();
        }
        long now = System.currentTimeMillis();
        if (snapshotsTaken > 0 && now - lastSnapshotMillis < settings().timeInterval() * 1000) {
            return;
        }
        take(settings().async(), false);
    }

    /**
     * Takes the final snapshot if any unit ran since the last one (see {@link #takeFinalSnapshot()}),
     * and waits for any snapshot still being written in the background, reporting its failure by
     * the failure policy.
     */
    @Override
    public void stop() {
        try {
            if (stopSnapshotTried_) {
                collectBackground(); // the stop's snapshot was tried before any unit stopped: not again now
            } else {
                finalSnapshot(false); // the run's own last snapshot, at its end
            }
        } finally {
            endRun();
        }
    }

    /**
     * Ends a run that failed: waits for a snapshot still being written in the background, then
     * lets another run write the prefix, as {@link #stop()} would. Takes no final snapshot, since
     * a failure may have left the state half updated. A background snapshot that failed too is
     * only logged: the run's own failure is the one to report. Harmless after a stop.
     */
    public void release() {
        try {
            collectBackground();
        } catch (SnapshotException e) {
            LOG.error("the snapshot being written when the run failed was not stored: {}", e.getMessage());
        } finally {
            endRun();
        }
    }

    private void endRun() {
        if (background_ != null) {
            background_.close();
            background_ = null;
        }
        releaseStore();
    }

    /**
     * What a stop left behind: the snapshot written for it, or why none was.
     *
     * @param outcome     what happened
     * @param snapshot    the final snapshot's destination when {@code WRITTEN}, else null
     * @param unitsRun    units run since the previous snapshot (what the final one covers)
     * @param resumeAfter the unit a resume continues after, or null when the run is not interrupted
     * @param info        the facts recorded with it (a decision's epoch and metric)
     */
    public record FinalSnapshot(
            Outcome outcome, String snapshot, long unitsRun, String resumeAfter, Map<String, Object> info) {
        /** Whether a final snapshot was written, or why not. */
        public enum Outcome {
            /** Written and stored. */
            WRITTEN,
            /** Nothing ran since the last snapshot, which holds the state as it is. */
            NOTHING_NEW,
            /** {@code skip} was set: the units run since the last snapshot are not saved. */
            SKIPPED,
            /** Writing failed under {@code on_failure=warn}; the error was logged. */
            FAILED
        }
    }

    /**
     * Units run since the last snapshot: the work a stop now would lose without a final snapshot.
     * Counts the runs of the whole main workflow, not only of this unit: a stop mid-iteration,
     * before this unit ran, must still save what the iteration did.
     */
    public long unitsRunSinceSnapshot() {
        long sinceSnapshot = mainWorkflow().unitsRun() - unitsRunAtSnapshot_;
        // A snapshotter run outside a scheduler (tests, tools) counts its own runs.
        return Math.max(sinceSnapshot, ownRunsSinceSnapshot_);
    }

    /**
     * Takes the snapshot a stop owes: one whenever any unit ran since the last snapshot,
     * mid-iteration included, unless {@code skip} is set (the only veto, and logged). Also waits
     * for a snapshot still being written in the background. Called by the launcher before any unit
     * stops, so that the snapshot holds the state the run stopped in; calling it again is harmless.
     * A failure propagates under {@code on_failure=fail}.
     */
    public FinalSnapshot takeFinalSnapshot() {
        stopSnapshotTried_ = true;
        return finalSnapshot(true);
    }

    /**
     * The snapshot a stop ({@code stop}) or the run's end owes. A stop's is one the uninterrupted
     * run never takes: it must not move the cadence the resumed run goes on with (see write).
     */
    private FinalSnapshot finalSnapshot(boolean stop) {
        // A background write that failed leaves what it covered unsaved: counted only once collected.
        // Under on_failure=fail its failure ends the run, but only after the snapshot owed now is
        // tried: the live state is intact and holds all that the failed write was to save.
        SnapshotException backgroundFailure = null;
        try {
            collectBackground();
        } catch (SnapshotException e) {
            if (e.getCause() instanceof InterruptedException) {
                throw e; // the write may still be going: no other may start beside it
            }
            backgroundFailure = e;
        }
        FinalSnapshot owed;
        try {
            owed = owedSnapshot(stop);
        } catch (RuntimeException e) {
            if (backgroundFailure == null) {
                throw e;
            }
            backgroundFailure.addSuppressed(e);
            throw backgroundFailure;
        }
        if (backgroundFailure != null) {
            if (owed.outcome() == FinalSnapshot.Outcome.WRITTEN) {
                LOG.error(
                        "a snapshot written in the background failed; the {} snapshot {} holds what it was to save",
                        stop ? "stop's" : "final",
                        owed.snapshot());
            }
            throw backgroundFailure;
        }
        return owed;
    }

    /** The snapshot owed, once any background write is collected (see {@link #finalSnapshot}). */
    private FinalSnapshot owedSnapshot(boolean stop) {
        long unitsRun = unitsRunSinceSnapshot();
        Unit running = mainWorkflow().runningUnit();
        String resumeAfter = running == null || !mainWorkflow().isRunning() ? null : running.name();
        Map<String, Object> facts = new LinkedHashMap<>(info);
        if (unitsRun == 0) {
            collectBackground();
            return new FinalSnapshot(FinalSnapshot.Outcome.NOTHING_NEW, null, 0, resumeAfter, facts);
        }
        if (disabled_) { // asked for (--no-snapshots): nothing to warn of
            collectBackground();
            LOG.info("no final snapshot: snapshots are off for this run");
            return new FinalSnapshot(FinalSnapshot.Outcome.SKIPPED, null, unitsRun, resumeAfter, facts);
        }
        if (skip.get()) {
            collectBackground();
            LOG.warn(
                    "no final snapshot: skip is set, so the {} unit run(s) since the last snapshot are not saved",
                    unitsRun);
            return new FinalSnapshot(FinalSnapshot.Outcome.SKIPPED, null, unitsRun, resumeAfter, facts);
        }
        if (!take(false, stop)) { // failed under on_failure=warn
            return new FinalSnapshot(FinalSnapshot.Outcome.FAILED, null, unitsRun, resumeAfter, facts);
        }
        LOG.info(
                "final snapshot {}: {} unit run(s) since the previous one{}",
                destination,
                unitsRun,
                resumeAfter == null ? "" : ", resumes after unit " + resumeAfter);
        return new FinalSnapshot(FinalSnapshot.Outcome.WRITTEN, destination, unitsRun, resumeAfter, facts);
    }

    /** The destination of a snapshot being stored at this moment (in any thread), or null. */
    public String snapshotBeingWritten() {
        String inThisThread = writingTo_;
        BackgroundWrites background = background_; // read once: the run's thread clears it as the run ends
        if (inThisThread != null || background == null) {
            return inThisThread;
        }
        return background.writingTo();
    }

    /** The last snapshot this process stored completely, or null before the first. Not captured. */
    public String lastStored() {
        Stored last = confirmed_;
        return last == null ? null : last.location();
    }

    /**
     * The last snapshot this process stored completely and when its state was taken, or null
     * before the first: of a run's snapshotters, the one whose snapshot was taken last holds the
     * newest state. Not captured.
     */
    public Stored lastStoredSnapshot() {
        return confirmed_;
    }

    /** A snapshot stored: where, and when the state it holds was taken. */
    public record Stored(String location, Instant taken) {}

    private void confirmed(String location, Instant taken) {
        confirmed_ = new Stored(location, taken);
    }

    /**
     * How long the workflow was paused by the last snapshot: the whole snapshot when synchronous,
     * the copy of the state when asynchronous.
     */
    public long lastPauseNanos() {
        return lastPauseNanos_;
    }

    /** Waits until no snapshot is being written in the background; reports a failure as export() would. */
    public void awaitWritten() {
        collectBackground();
    }

    /**
     * Writes a snapshot now, whatever the counters say. If it cannot be written, the failure
     * policy decides: the error propagates ({@code fail}), or it is logged and this unit's
     * counters are rolled back so that the next run and the stop try again ({@code warn}).
     * Either way, earlier snapshots are untouched.
     */
    public final void export() {
        take(false, false);
    }

    /** Takes a snapshot ({@code stop}: a stop's, see {@link #write}); false if it failed under on_failure=warn. */
    private boolean take(boolean background, boolean stop) {
        long start = System.nanoTime();
        collectBackground(); // at most one snapshot in flight; an earlier failure is reported first
        int runsBefore = runsSinceSnapshot;
        long lastBefore = lastSnapshotMillis;
        long markBefore = unitsRunAtSnapshot_;
        int takenBefore = snapshotsTaken;
        int ownRunsBefore = ownRunsSinceSnapshot_;
        String destinationBefore = destination;
        String suffixBefore = lastSuffix;
        try {
            write(background, stop);
            return true;
        } catch (SnapshotException e) {
            if (settings().onFailure() == SnapshotSettings.FailurePolicy.FAIL) {
                throw e;
            }
            runsSinceSnapshot = runsBefore;
            lastSnapshotMillis = lastBefore;
            unitsRunAtSnapshot_ = markBefore;
            destination = destinationBefore;
            lastSuffix = suffixBefore;
            snapshotsTaken = takenBefore;
            ownRunsSinceSnapshot_ = ownRunsBefore;
            LOG.error("snapshot failed, the run goes on (snapshotter.on_failure=warn): {}", e.getMessage());
            return false;
        } finally {
            lastPauseNanos_ = System.nanoTime() - start;
        }
    }

    /** Waits for the snapshot in flight, if any, and applies the failure policy to its outcome. */
    private void collectBackground() {
        BackgroundWrites.Failure failed = background_ == null ? null : background_.collect();
        if (failed == null) {
            return;
        }
        // As for a synchronous failure: the runs it covered count toward the next snapshot.
        destination = lastStored();
        runsSinceSnapshot += failed.runsCovered();
        ownRunsSinceSnapshot_ += failed.runsCovered();
        unitsRunAtSnapshot_ = -1; // what it covered is unsaved: a stop owes a snapshot
        // the next snapshot is named and timed as if the failed one had not been taken
        lastSuffix = suffixBeforeBackground_;
        lastSnapshotMillis = millisBeforeBackground_;
        snapshotsTaken--;
        if (settings().onFailure() == SnapshotSettings.FailurePolicy.FAIL) {
            throw failed.error();
        }
        LOG.error(
                "snapshot failed, the run goes on (snapshotter.on_failure=warn): {}",
                failed.error().getMessage());
    }

    /**
     * Writes a snapshot now. A stop's snapshot ({@code stop}) is one the uninterrupted run never
     * takes: it leaves the cadence's counters (the suffix last used, the count of snapshots, the
     * runs and time since the last) as they were, so that a resume from it names and times its
     * later snapshots as the uninterrupted run does, and it is named apart from the regular
     * snapshot its suffix may still be due for ({@code _stop}).
     */
    private void write(boolean background, boolean stop) {
        int runsCovered = runsSinceSnapshot;
        String baseSuffix = suffix != null ? suffix : Integer.toString(snapshotsTaken + 1);
        long now = System.currentTimeMillis();
        // A stop's snapshot must not take the name of the one due next, nor a second regular one
        // under an unchanged suffix (a time interval within a long epoch) that of the one before
        // it, which holds other state: the latter is marked by its number in the run instead.
        String effectiveSuffix = stop
                ? baseSuffix + "_stop"
                : baseSuffix.equals(lastSuffix) ? baseSuffix + "_n" + (snapshotsTaken + 1) : baseSuffix;
        // Everything this unit changes happens before the state is written, so that the
        // snapshot holds this unit as it is after its run.
        unitsRunAtSnapshot_ = mainWorkflow().unitsRun();
        ownRunsSinceSnapshot_ = 0;
        suffixBeforeBackground_ = lastSuffix;
        millisBeforeBackground_ = lastSnapshotMillis;
        if (!stop) {
            lastSuffix = baseSuffix;
            runsSinceSnapshot = 0;
            lastSnapshotMillis = now;
            snapshotsTaken++;
        }
        RunContext run = runContext();
        lockPrefix(run.id());
        NewSnapshot entry = store().freeName(new NewSnapshot(
                settings().prefix(),
                effectiveSuffix,
                Instant.ofEpochMilli(now),
                run.id(),
                run.logId(),
                mainWorkflow().name(),
                settings().compression()));
        destination = store().locationOf(entry);

        Manifest manifest = Manifest.builder()
                .name(entry.name())
                .id(run.id())
                .logId(run.logId())
                .created(Instant.ofEpochMilli(now).toString())
                .info("prefix", settings().prefix())
                .info("suffix", effectiveSuffix)
                .info("written_to", recorded.location()) // shown by inspect; a resume never follows it
                .putInfo(FrozenFacts.of(info)) // read again on the background thread: see FrozenFacts
                .putInfo(runEnded())
                .build();
        SnapshotWriter.Options options = writerOptions();
        Differential.Pending pending = differential() == null ? null : nextOnAStoredChain(differential());
        if (background && writeInBackground(entry, manifest, options, pending, runsCovered)) {
            return;
        }
        Manifest[] written = new Manifest[1];
        writingTo_ = destination;
        StoredSnapshot stored;
        long started = System.nanoTime();
        try {
            stored = store().write(
                            entry,
                            out -> written[0] = SnapshotWriter.write(mainWorkflow(), manifest, options, pending, out));
        } finally {
            writingTo_ = null;
        }
        if (pending != null) {
            differential().stored(pending, stored.key());
        }
        destination = stored.location(); // another name only if this one was taken while it was written
        confirmed(destination, entry.created());
        LOG.info(
                "snapshot {}: {} of state, {} stored ({}{}) in {} s",
                destination,
                ByteCounts.format(written[0].payloadBytes),
                ByteCounts.format(stored.bytes()),
                settings().compression().argument(),
                written[0].isDifferential() ? ", differential against " + written[0].base : "",
                String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e9));
        warnIfLarge(written[0]);
        if (!stop) {
            // A stop's snapshot, which the uninterrupted run never has, decides no deletion: newer
            // than the regular snapshot whose metric it carries, it would win keep_best's tie and
            // keep_last's count, and the resumed process, which does not own it, never prunes it.
            applyRetention(store(), entry, stored, written[0], settings(), ownSnapshots());
        }
    }

    /**
     * The differential's next snapshot, made standalone when a file of its chain is no longer in
     * the store (deleted from outside the run: by hand, a cleanup job, a bucket's lifecycle rule),
     * or when the store cannot tell: written on a missing base, it could never be read. A few
     * stats or HEADs, one per file of the chain (at most {@code full_every - 1}).
     */
    private Differential.Pending nextOnAStoredChain(Differential differential) {
        List<String> chain = differential.nextChain();
        if (!chain.isEmpty()) {
            String missing;
            try {
                missing = chain.stream()
                        .filter(key -> !store().holds(key))
                        .findFirst()
                        .map(key -> key + " is no longer in " + store().describe() + " (deleted from outside the run?)")
                        .orElse(null);
            } catch (RuntimeException e) {
                missing =
                        "cannot tell whether " + store().describe() + " still holds its base (" + e.getMessage() + ")";
            }
            if (missing != null) {
                LOG.warn("{}: the next snapshot is standalone, not differential", missing);
                differential.forget();
            }
        }
        return differential.next();
    }

    /**
     * Leaves compressing and storing the snapshot to a background thread, once the state is
     * copied into memory. Returns false, having written nothing, when the copy would exceed
     * {@code async_memory_mb}: the caller then writes synchronously.
     */
    private boolean writeInBackground(
            NewSnapshot entry,
            Manifest manifest,
            SnapshotWriter.Options options,
            Differential.Pending pending,
            int runsCovered) {
        if (background_ == null) {
            background_ = new BackgroundWrites(settings().backgroundNice());
        }
        SnapshotStore target = store();
        SnapshotSettings retentionSettings = settings();
        OwnSnapshots own = ownSnapshots();
        Differential differential = differential();
        BackgroundWrites.Write write = new BackgroundWrites.Write(
                target,
                entry,
                manifest,
                options,
                destination,
                runsCovered,
                pending,
                settings().compressingThreadsWhileRunning(),
                (stored, written) -> {
                    if (pending != null) {
                        differential.stored(pending, stored.key());
                    }
                    confirmed(stored.location(), entry.created());
                    applyRetention(target, entry, stored, written, retentionSettings, own);
                });
        Manifest written = background_.start(mainWorkflow(), write, settings().asyncMemoryBytes());
        if (written == null) {
            return false;
        }
        warnIfLarge(written);
        return true;
    }

    /**
     * Records a safely stored snapshot as this snapshotter's own, then deletes the own snapshots
     * that the configured retention does not keep: in a directory only files this snapshotter
     * wrote in this process (never another run's, another prefix's or another codec's, and never
     * one it wrote before it was resumed); in a table this run's rows. A failure here is logged
     * and the run goes on: the snapshot was written.
     */
    private static void applyRetention(
            SnapshotStore target,
            NewSnapshot written,
            StoredSnapshot stored,
            Manifest manifest,
            SnapshotSettings snapshotSettings,
            OwnSnapshots own) {
        try {
            own.add(new OwnSnapshots.Written(
                    stored, written.created(), SnapshotPruning.metricOf(manifest), BaseProtection.chainOf(manifest)));
            Retention retention = snapshotSettings.retention();
            if (retention == null) {
                return;
            }
            List<StoredSnapshot> deleted = OwnRetention.apply(retention, target, written, own);
            if (!deleted.isEmpty()) {
                LOG.info(
                        "retention deleted {} snapshot(s): {}",
                        deleted.size(),
                        deleted.stream().map(StoredSnapshot::name).collect(Collectors.joining(", ")));
            }
        } catch (RuntimeException e) {
            // The snapshot is stored: a failure here must not count as a failed snapshot.
            LOG.warn("retention could not prune old snapshots, the run goes on: {}", e.getMessage());
        }
    }

    /** The run's differential snapshots, or null when {@code snapshotter.incremental} is off. */
    private Differential differential() {
        if (!settings().incremental()) {
            return null;
        }
        if (differential_ == null || differential_.fullEvery() != settings().fullEvery()) {
            differential_ = Differential.withFullEvery(settings().fullEvery());
        }
        return differential_;
    }

    private SnapshotWriter.Options writerOptions() {
        Workflow main = mainWorkflow();
        if (settings().codeBackup() && codeBackup_ == null) {
            codeBackup_ = CodeBackup.collect(main.getClass()); // the code does not change during a run
        }
        return SnapshotWriter.Options.of(settings().compression(), settings().compressionLevel())
                .withKey(key_)
                .withCodeBackup(settings().codeBackup() ? codeBackup_ : null);
    }

    private void warnIfLarge(Manifest manifest) {
        if (sizeWarned_ || manifest.payloadBytes <= settings().sizeWarningBytes()) {
            return;
        }
        sizeWarned_ = true;
        String largest = manifest.largestUnits(5).stream()
                .map(unit -> unit.name() + " " + ByteCounts.format(unit.bytes()))
                .collect(Collectors.joining(", "));
        LOG.warn(
                "snapshot state is {}, above the {} warning size; largest units: {}",
                ByteCounts.format(manifest.payloadBytes),
                ByteCounts.format(settings().sizeWarningBytes()),
                largest);
    }

    private SnapshotStore store() {
        if (store_ == null) {
            store_ = SnapshotStores.forSettings(settings());
        }
        return store_;
    }

    /**
     * The manifest fact that a resume tells a run that ended from one yet to start: both hold a
     * workflow neither running nor finished. Taken only after a run stopped with no unit left to
     * run (its end point never reached), it says so; empty otherwise.
     */
    private Map<String, Object> runEnded() {
        Workflow main = mainWorkflow();
        return main.isRunning() || main.isFinished() ? Map.of() : Map.of(RUN_STATE, RAN_OUT_OF_WORK);
    }

    /** The manifest fact naming how the run stood when a snapshot was taken after its work ran out. */
    public static final String RUN_STATE = "run_state";

    /** {@link #RUN_STATE}'s value for a run that ended when no unit was left to run. */
    public static final String RAN_OUT_OF_WORK = "ran out of work";

    /**
     * Takes the prefix's writer lock for run {@code runId} unless held: one live run writes a
     * prefix (in a table, the database is checked and the tables made).
     */
    private synchronized void lockPrefix(String runId) {
        if (lock_ == null) {
            lock_ = store().lockPrefix(settings().prefix(), runId, settings().compression());
        }
    }

    /** Lets another run write this prefix; the next snapshot, if any, takes the store again. */
    private synchronized void releaseStore() {
        try {
            if (lock_ != null) {
                lock_.close();
            }
        } finally {
            lock_ = null;
            differential_ = null; // another run may write here meanwhile: the next snapshot stands alone
            if (store_ != null) {
                store_.close();
                store_ = null;
            }
        }
    }

    /** The snapshots this unit wrote in this process: all its retention may delete. */
    private OwnSnapshots ownSnapshots() {
        if (own_ == null) {
            own_ = new OwnSnapshots();
        }
        return own_;
    }
}
