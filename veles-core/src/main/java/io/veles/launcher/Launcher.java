package io.veles.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.veles.config.Config;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a main workflow: builds it, or restores it from a snapshot and continues where the
 * snapshot was taken; initialises, runs and stops it; writes the result file. The launcher owns
 * the run's {@code id} and {@code log_id} and is never part of a snapshot.
 *
 * <p>SIGINT and SIGTERM ask the workflow to stop at the next unit boundary; its snapshotters then
 * take their final snapshot, which resumes exactly there.
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
    public record Request(WorkflowFactory factory, Config config, String snapshot, Long seed, Path resultFile,
                          RestoreRules restoreRules, SnapshotKey key) {
    }

    /**
     * How the run went: the workflow as it ended, whether it was restored, the last snapshot, and
     * whether it was stopped (by a signal) before it finished.
     */
    public record Outcome(Workflow workflow, boolean restored, String lastSnapshot, boolean stopped) {
    }

    private final Request request;
    private final String id = UUID.randomUUID().toString();
    private final String logId = id;
    private volatile boolean stopRequested;

    public Launcher(Request request) {
        this.request = request;
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

    /** Asks the workflow to stop at the next unit boundary. */
    public void requestStop() {
        stopRequested = true;
    }

    public Outcome run() {
        boolean restored = request.snapshot() != null;
        Workflow workflow = restored ? restore() : create();
        for (String key : request.config().unusedKeys()) {
            LOG.warn("setting {} was not used{}", key, restored ? " (settings other than snapshotter.* do not apply on restore)" : "");
        }
        for (Unit unit : workflow.allUnits()) {
            if (unit instanceof Snapshotter) {
                ((Snapshotter) unit).signWith(request.key());
            }
        }
        workflow.attach(this);
        SignalStop.install(this);
        LOG.info("run {} of {}: initialising", id, workflow.name());
        workflow.initialize();
        if (restored && workflow.isRunning()) {
            LOG.info("continuing after unit {}", workflow.runningUnit() == null ? "-" : workflow.runningUnit().name());
            workflow.resumeRun();
        } else {
            workflow.run();
        }
        if (stopRequested) {
            LOG.info("stop requested: stopping at unit {}", workflow.runningUnit() == null ? "-" : workflow.runningUnit().name());
        }
        workflow.stop();
        String lastSnapshot = lastSnapshot(workflow);
        if (request.resultFile() != null) {
            writeResults(workflow, restored, lastSnapshot);
        }
        return new Outcome(workflow, restored, lastSnapshot, stopRequested);
    }

    private Workflow create() {
        Workflow workflow = request.factory().create(request.config());
        if (request.restoreRules() != null) {
            workflow.useRestoreRules(request.restoreRules()); // snapshots refuse what these rules would
        }
        workflow.random().reseed(request.seed() != null ? request.seed() : Prng.DEFAULT_SEED);
        return workflow;
    }

    private Workflow restore() {
        RestoreRules rules = request.restoreRules() != null ? request.restoreRules()
                : RestoreRules.forWorkflow(request.factory().workflowClass());
        Snapshots.Restored<? extends Workflow> restored = Snapshots.restore(request.snapshot(),
                request.factory().workflowClass(), rules, request.key());
        Workflow workflow = restored.workflow();
        Manifest manifest = restored.manifest();
        LOG.info("restored {} from {} (snapshot {} taken {} by run {}{})", workflow.name(), restored.source(),
                manifest.name, manifest.created, manifest.id, request.key() != null ? ", signature checked" : "");
        if (request.seed() != null) {
            LOG.warn("--random-seed is ignored on restore: the generator continues from the snapshot");
        }
        Config overrides = request.config().section("snapshotter");
        for (Unit unit : workflow.allUnits()) {
            if (unit instanceof Snapshotter) {
                Snapshotter snapshotter = (Snapshotter) unit;
                snapshotter.reconfigure(SnapshotSettings.from(overrides, snapshotter.settings()));
            }
        }
        return workflow;
    }

    private static String lastSnapshot(Workflow workflow) {
        String last = null;
        for (Unit unit : workflow.allUnits()) {
            if (unit instanceof Snapshotter && ((Snapshotter) unit).destination() != null) {
                last = ((Snapshotter) unit).destination();
            }
        }
        return last;
    }

    private void writeResults(Workflow workflow, boolean restored, String lastSnapshot) {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("workflow", workflow.name());
        results.put("id", id);
        results.put("log_id", logId);
        results.put("restored_from", restored ? request.snapshot() : null);
        results.put("snapshot", lastSnapshot);
        if (workflow instanceof ResultProvider) {
            results.put("results", ((ResultProvider) workflow).results());
        }
        try {
            Path file = request.resultFile();
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
        } catch (IOException e) {
            throw new LaunchException("cannot write the result file " + request.resultFile() + ": " + e.getMessage(), e);
        }
    }
}
