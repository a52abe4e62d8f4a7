package io.veles.cli;

import io.veles.config.Config;
import io.veles.launcher.WorkflowFactory;
import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * {@code veles run --no-snapshots}: the workflow as its factory builds it, with every snapshotter
 * skipping, so that the run takes no snapshot at all, not even the final one. The baseline that
 * bench/overhead measures snapshots against: the same units run, only the writing is gone.
 */
final class WithoutSnapshots implements WorkflowFactory {
    private final WorkflowFactory factory;

    WithoutSnapshots(WorkflowFactory factory) {
        this.factory = factory;
    }

    @Override
    public String name() {
        return factory.name();
    }

    @Override
    public String description() {
        return factory.description();
    }

    @Override
    public Class<? extends Workflow> workflowClass() {
        return factory.workflowClass();
    }

    @Override
    public Workflow create(Config config) {
        Workflow workflow = factory.create(config);
        for (Unit unit : workflow.allUnits()) {
            if (unit instanceof Snapshotter snapshotter) {
                snapshotter.disable();
            }
        }
        return workflow;
    }
}
