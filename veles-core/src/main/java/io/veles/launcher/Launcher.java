package io.veles.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.veles.config.Config;
import io.veles.errors.SnapshotException;
import io.veles.internal.store.AtomicFiles;
import io.veles.internal.util.EachOf;
import io.veles.internal.util.Printable;
import io.veles.internal.util.Secrets;
import io.veles.pickle.RestoreRules;
import io.veles.random.Prng;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.Snapshotter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.workflow.RunContext;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs a main workflow: builds it, or restores it from a snapshot and continues where the
 * snapshot was taken; initialises, runs and stops it; writes the result file. The launcher owns
 * the run's {@code id} and {@code log_id} and is never part of a snapshot.
 *
 * <p>{@link #requestStop()}, and SIGINT and SIGTERM when the run handles signals, ask the workflow
 * to stop at the next unit boundary; its snapshotters then take their final snapshot, which
 * resumes exactly there. Applications start runs with {@link Veles#run}.
 */
public final class Launcher implements RunContext {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    /**
     * What to run.
     *
     * @param snapshot      a snapshot to restore and continue from, or null for a new run
     * @param seed          the random seed of a new run, or null for the default
     * @param resultFile    where to write the results as JSON, or null
     * @param restoreRules  how a restore maps the snapshot onto the code (allowed packages, renamed
     *                      classes, conversions); null for the workflow's defaults
     * @param key           signs new snapshots and is required of restored ones, or null
     */
    public record Request(
            WorkflowFactory factory,
            Config config,
            String snapshot,
            Long seed,
            Path resultFile,
            RestoreRules restoreRules,
            SnapshotKey key) {}

    /**
     * How the run went: the workflow as it ended, whether it was restored, the last snapshot, and
     * whether it was stopped (by a signal or {@link #requestStop()}) before it finished.
     *
     * @param lastSnapshot   the newest snapshot this run stored completely, else the one it was
     *                       restored from, else null
     * @param finalSnapshots what each snapshotter did when the run was stopped: the final snapshot
     *                       it wrote, or why none was; empty when the run was not stopped
     */
    public record Outcome(
            Workflow workflow,
            boolean restored,
            String lastSnapshot,
            boolean stopped,
            List<Snapshotter.FinalSnapshot> finalSnapshots) {}

    private final Request request;
    private final boolean handleSignals;
    /** The snapshot this run was restored from, as found (a file, row or object); null if it was not. */
    private volatile String restoredFrom;
    /** The restored snapshot was taken after the run's work ran out: a resume runs nothing. */
    private boolean restoredRanOutOfWork;

    private final String id = UUID.randomUUID().toString();
    private final String logId = id;
    private volatile boolean stopRequested;
    private volatile List<Snapshotter> snapshotters = List.of();

    /** A launcher that leaves the process's signal handlers alone. */
    public Launcher(Request request) {
        this(request, false);
    }

    /**
     * A launcher that, with {@code handleSignals}, turns SIGINT and SIGTERM into a stop request
     * while {@link #run()} runs, and puts back the handlers it replaced when it returns.
     */
    Launcher(Request request, boolean handleSignals) {
        this.request = request;
        this.handleSignals = handleSignals;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String logId() {
        return logId;
    }

    @Override
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Asks the workflow to stop at the next unit boundary; {@link #run()} then takes a final
     * snapshot when any unit ran since the last one, and returns. Safe from any thread.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Builds or restores the workflow, runs it to its end or to a stop request, and returns how it
     * went. Failures are thrown, with a one-line message.
     */
    public Outcome run() {
        if (request.resultFile() != null) {
            checkResultFile(request.resultFile()); // before hours of work, not after them
        }
        boolean restored = request.snapshot() != null;
        Workflow workflow = restored ? restore() : create();
        if (!restored) {
            refuseUnknownSnapshotterSettings(workflow);
        }
        for (String key : request.config().unusedKeys()) {
            LOG.warn(
                    "setting {} was not used{}",
                    key,
                    restored ? " (on a resume only snapshotter.* and the workflow's resumable settings apply)" : "");
        }
        List<Snapshotter> found = new ArrayList<>();
        for (Unit unit : workflow.allUnits()) {
            if (unit instanceof Snapshotter) {
                Snapshotter snapshotter = (Snapshotter) unit;
                snapshotter.signWith(request.key());
                found.add(snapshotter);
            }
        }
        snapshotters = List.copyOf(found);
        workflow.attach(this);
        SignalStop signals = handleSignals ? SignalStop.install(this) : null;
        try {
            LOG.info("run {} of {}: initialising", id, Printable.escape(workflow.name()));
            workflow.initialize();
            // Asynchronous snapshots' memory is allocated while the first units run, not in the first pause.
            for (Snapshotter snapshotter : snapshotters) {
                snapshotter.reserveBackgroundCopy();
            }
            if (restored && workflow.isRunning()) {
                LOG.info(
                        "continuing after unit {}",
                        workflow.runningUnit() == null
                                ? "-"
                                : Printable.escape(workflow.runningUnit().name()));
                workflow.resumeRun();
            } else if (restored && workflow.isFinished()) {
                if (workflow.resumeFinishedRun()) {
                    LOG.info("ran a new pass of a run that had reached its end: its end no longer held");
                } else {
                    LOG.info("the snapshot holds a run that reached its end, which still holds: nothing to run");
                }
            } else if (restored && restoredRanOutOfWork) {
                // another pass would run what the uninterrupted run never did
                LOG.info("the snapshot holds a run that ended when no unit was left to run: nothing to run");
            } else {
                workflow.run();
            }
            // a signal that came after the end point ran stops nothing: the run is complete
            boolean stopped = stopRequested && !workflow.isFinished();
            List<Snapshotter.FinalSnapshot> finalSnapshots = new ArrayList<>();
            if (stopped) {
                LOG.info(
                        "stop requested: stopped after unit {}",
                        workflow.runningUnit() == null
                                ? "-"
                                : Printable.escape(workflow.runningUnit().name()));
                // Before any unit's stop(), so that the snapshot holds the state the run stopped in.
                // Each snapshotter tries its own, whatever another's failure: that one may save the run.
                EachOf.apply(snapshotters, snapshotter -> finalSnapshots.add(snapshotter.takeFinalSnapshot()));
            }
            workflow.stop();
            String lastSnapshot = lastCompleteSnapshot();
            if (request.resultFile() != null) {
                writeResults(workflow, restored, lastSnapshot, stopped);
            }
            return new Outcome(workflow, restored, lastSnapshot, stopped, List.copyOf(finalSnapshots));
        } catch (Throwable failure) {
            // No unit stops after a failure, so the snapshotters' prefix locks are let go here: an
            // application that retries in this JVM must not find its own failed run holding them.
            for (Snapshotter snapshotter : snapshotters) {
                try {
                    snapshotter.release();
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
            // Where it failed and what a resume takes, for a host that never awaits the run: the
            // failure itself is the caller's (await throws it), and the command line prints it.
            String last = lastCompleteSnapshot();
            LOG.error(
                    "run {} failed{}; {}",
                    id,
                    failedUnit(workflow),
                    last == null ? "no snapshot holds it" : "the last complete snapshot is " + Printable.escape(last));
            throw failure;
        } finally {
            if (signals != null) {
                signals.remove(); // after the run a signal is the host's again
            }
        }
    }

    /** The destination of a snapshot being written at this moment, or null. */
    String snapshotBeingWritten() {
        for (Snapshotter snapshotter : snapshotters) {
            String writing = snapshotter.snapshotBeingWritten();
            if (writing != null) {
                return writing;
            }
        }
        return null;
    }

    /** " in unit 'a/b'" for the innermost unit that was running (nested workflows' names between), or "". */
    private static String failedUnit(Workflow workflow) {
        StringBuilder path = new StringBuilder();
        for (Unit unit = workflow.runningUnit(); unit != null; ) {
            path.append(path.length() == 0 ? "" : "/").append(unit.name());
            unit = unit instanceof Workflow ? ((Workflow) unit).runningUnit() : null;
        }
        return path.length() == 0 ? "" : " in unit '" + Printable.escape(path.toString()) + "'";
    }

    /**
     * The newest snapshot this process stored completely, else the one it was restored from (the
     * snapshot itself, not the directory or prefix it was found in), or null: what a run halted
     * now would continue from. For the message of a second signal, and the run's outcome.
     */
    String lastCompleteSnapshot() {
        Snapshotter.Stored last = null;
        for (Snapshotter snapshotter : snapshotters) {
            Snapshotter.Stored stored = snapshotter.lastStoredSnapshot();
            // the newest state, not the last snapshotter's: a "best only" one may hold an old epoch
            if (stored != null && (last == null || !stored.taken().isBefore(last.taken()))) {
                last = stored;
            }
        }
        return Secrets.redact(last != null ? last.location() : restoredFrom);
    }

    /**
     * Refuses, before a fresh run starts, the {@code snapshotter.*} settings that are none of the
     * snapshotter's names and that nothing read: most likely misspelled, and the run would go on
     * without what was asked ({@code snapshotter.keep_lst=3}: no retention, until the disk is full). A resume
     * only warns: it reads the workflow's settings from the snapshot, not from the command line.
     */
    private void refuseUnknownSnapshotterSettings(Workflow workflow) {
        if (workflow.allUnits().stream().noneMatch(Snapshotter.class::isInstance)) {
            return; // no snapshotter to read them: reported as unused below
        }
        List<String> unknown = new ArrayList<>();
        for (String key : request.config().unusedKeys()) {
            // one of the snapshotter's own names is never refused: a constructor may read it
            // through a config of its own (config.with(...)), which the count of reads misses
            if (key.startsWith("snapshotter.")
                    && !SnapshotSettings.KEYS.contains(key.substring("snapshotter.".length()))) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new io.veles.config.ConfigException("setting " + String.join(", ", unknown)
                    + (unknown.size() == 1 ? " is" : " are") + " not read by the snapshotter (misspelled?); its"
                    + " settings are snapshotter." + String.join(", snapshotter.", SnapshotSettings.KEYS));
        }
    }

    private Workflow create() {
        Workflow workflow = request.factory().create(request.config());
        Class<? extends Workflow> declared = request.factory().workflowClass();
        if (workflow == null || workflow.getClass() != declared) {
            // a resume restores a snapshot of the declared class only: find out now, not after the training
            throw new LaunchException(
                    "the workflow factory " + request.factory().name() + " declares "
                            + declared.getName() + " but made "
                            + (workflow == null ? "null" : workflow.getClass().getName())
                            + ": no resume could restore its snapshots; declare the class it makes");
        }
        if (request.restoreRules() != null) {
            workflow.useRestoreRules(request.restoreRules()); // snapshots refuse what these rules would
        }
        workflow.random().reseed(request.seed() != null ? request.seed() : Prng.DEFAULT_SEED);
        return workflow;
    }

    private Workflow restore() {
        RestoreRules rules = request.restoreRules() != null
                ? request.restoreRules()
                : RestoreRules.forWorkflow(request.factory().workflowClass());
        long started = System.nanoTime();
        Snapshots.Restored<? extends Workflow> restored =
                Snapshots.restore(request.snapshot(), request.factory().workflowClass(), rules, request.key());
        double seconds = (System.nanoTime() - started) / 1e9;
        Workflow workflow = restored.workflow();
        Manifest manifest = restored.manifest();
        restoredFrom = restored.source();
        restoredRanOutOfWork = !workflow.isRunning()
                && !workflow.isFinished()
                && Snapshotter.RAN_OUT_OF_WORK.equals(manifest.info.get(Snapshotter.RUN_STATE));
        // all but the source come from the snapshot: escaped, so that they cannot forge log lines
        LOG.info(
                "restored {} from {} (snapshot {} taken {} by run {}{}{}) in {} s",
                Printable.escape(workflow.name()),
                Printable.escape(Secrets.redact(restored.source())),
                Printable.escape(manifest.name),
                Printable.escape(manifest.created),
                Printable.escape(manifest.id),
                manifest.isDifferential() ? ", differential, chain of " + (manifest.chain.size() + 1) + " files" : "",
                request.key() != null ? ", signature checked" : "",
                String.format(java.util.Locale.ROOT, "%.3f", seconds));
        if (request.seed() != null) {
            LOG.warn("--random-seed is ignored on restore: the generator continues from the snapshot");
        }
        // Where the resumed run writes, and what it deletes, come from this command line and the
        // defaults, never from the snapshot: a snapshot is data, not orders.
        Config overrides = request.config().section("snapshotter");
        SnapshotSettings location = SnapshotSettings.defaults(workflow.name());
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (Unit unit : workflow.allUnits()) {
            if (unit instanceof Snapshotter) {
                Snapshotter snapshotter = (Snapshotter) unit;
                SnapshotSettings recorded = snapshotter.recordedSettings();
                String before = recorded.location();
                SnapshotSettings resumed = SnapshotSettings.from(overrides, recorded.withLocationOf(location));
                if (!taken.add(resumed.location())) {
                    // A second snapshotter given the first one's prefix could not take its lock:
                    // it keeps the prefix it wrote under, in the place this command line gives.
                    resumed = resumed.toBuilder().prefix(recorded.prefix()).build();
                    if (!taken.add(resumed.location())) {
                        throw new SnapshotException("two snapshotters of " + Printable.escape(workflow.name())
                                + " would write to " + Printable.escape(resumed.location())
                                + ": a workflow's snapshotters need prefixes of their own");
                    }
                }
                snapshotter.reconfigure(resumed);
                String now = snapshotter.settings().location();
                if (!now.equals(before)) {
                    // a resume follows its own command line, not the snapshot's: say so, since
                    // a later resume from the old place would miss this run's snapshots
                    LOG.info(
                            "snapshots of this run go to {}; the run before wrote them to {}"
                                    + " (give the same options to keep them together)",
                            Printable.escape(now),
                            Printable.escape(before));
                }
            }
        }
        if (workflow instanceof ResumableSettings) {
            ((ResumableSettings) workflow).applyOnResume(request.config());
        }
        return workflow;
    }

    /**
     * Writes the result file. {@code stopped}: a signal or a stop request ended the run before
     * its workflow finished, so the results are of the state then, which a resume from the
     * snapshot continues; without it a stopped run's file read like a finished one's.
     */
    private void writeResults(Workflow workflow, boolean restored, String lastSnapshot, boolean stopped) {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("workflow", workflow.name());
        results.put("id", id);
        results.put("log_id", logId);
        results.put("restored_from", restored ? Secrets.redact(request.snapshot()) : null);
        results.put("snapshot", Secrets.redact(lastSnapshot));
        results.put("stopped", stopped);
        if (workflow instanceof ResultProvider) {
            results.put("results", ((ResultProvider) workflow).results());
        }
        byte[] json;
        try {
            json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(results);
        } catch (IOException e) {
            throw new LaunchException(
                    "cannot write the result file " + request.resultFile() + ": " + e.getMessage(), e);
        }
        refuseReplacingOtherFiles(request.resultFile()); // again: the run may have written one there since
        try {
            // whole or not at all: a stop or a failure never leaves half a file where the last one was
            AtomicFiles.write(request.resultFile(), out -> out.write(json));
        } catch (SnapshotException e) {
            throw new LaunchException(e.getMessage().replace("cannot write ", "cannot write the result file "), e);
        }
    }

    /** Refuses a result file that could not be written, before the run: a directory, an unwritable place. */
    private static void checkResultFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new LaunchException("the result file " + file + " is a directory");
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new LaunchException(
                    "cannot write the result file " + file + ": cannot create " + parent + " ("
                            + AtomicFiles.describe(e) + ")",
                    e);
        }
        if (!Files.isWritable(parent) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new LaunchException("cannot write the result file " + file + ": permission denied");
        }
        refuseReplacingOtherFiles(file);
    }

    /**
     * Refuses a result file that would replace something other than an earlier result: a
     * snapshot, a {@code _current} link, a database given by mistake (the path of one, or of a
     * snapshot this run writes) must never be replaced by a page of JSON. A result file is JSON
     * written by this class, an object: its first byte that is not white space is '{'. An empty
     * file is taken too.
     */
    private static void refuseReplacingOtherFiles(Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new LaunchException("the result file " + file + " is a symbolic link (a snapshot's _current"
                    + " link?), which it would replace: give the path of a file");
        }
        if (!Files.isRegularFile(file)) {
            return;
        }
        byte[] start = new byte[4096];
        int read;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(start, 0, start.length);
        } catch (IOException e) {
            throw new LaunchException(
                    "cannot read the result file " + file + " to check what it holds: " + AtomicFiles.describe(e), e);
        }
        for (int i = 0; i < read; i++) {
            if (!Character.isWhitespace(start[i])) {
                if (start[i] == '{') {
                    return;
                }
                throw new LaunchException("the result file " + file + " holds something other than a result (a"
                        + " snapshot? a database?), which it would replace: give another path");
            }
        }
    }
}
