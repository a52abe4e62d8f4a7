package io.veles.launcher;

import io.veles.pickle.RestoreRules;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.workflow.Workflow;

import java.util.Objects;

/**
 * Restores a workflow from a snapshot without running it ({@link Veles#restore}), for tools that
 * look at a run's state: {@code Veles.restore(MyWorkflow.class).from("snapshots").load()}.
 */
public final class RestoreBuilder<W extends Workflow> {
    private final Class<W> workflowClass;
    private String source;
    private SnapshotKey key;
    private RestoreRules rules;

    RestoreBuilder(Class<W> workflowClass) {
        this.workflowClass = workflowClass;
    }

    /**
     * The snapshot: a file, a directory (its newest snapshot of this workflow), {@code odbc://…}
     * or {@code http(s)://…}.
     */
    public RestoreBuilder<W> from(String source) {
        this.source = Objects.requireNonNull(source, "source");
        return this;
    }

    /** Accepts only a snapshot signed with {@code key}, checked whole before it is restored. */
    public RestoreBuilder<W> key(SnapshotKey key) {
        this.key = Objects.requireNonNull(key, "key");
        return this;
    }

    /** How the snapshot maps onto today's code: allowed packages, renames, conversions. */
    public RestoreBuilder<W> rules(RestoreRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
        return this;
    }

    /** Restores the workflow, with the manifest and the exact source it came from. */
    public Snapshots.Restored<W> load() {
        if (source == null) {
            throw new IllegalStateException(
                    "no snapshot named: call from(...) with a file, a directory or an odbc:// source");
        }
        return Snapshots.restore(
                source, workflowClass, rules != null ? rules : RestoreRules.forWorkflow(workflowClass), key);
    }
}
