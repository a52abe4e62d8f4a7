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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WithoutSnapshots.class);

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
        // Said once, up front: the snapshot options stay accepted (the baseline is the same command
        // with --no-snapshots added), so that none of them seems to have been used.
        LOG.info("snapshots are off for this run (--no-snapshots): none is written, whatever the snapshot"
                + " options and settings say");
        Workflow workflow = factory.create(config);
        for (Unit unit : workflow.allUnits()) {
            if (unit instanceof Snapshotter snapshotter) {
                snapshotter.disable();
            }
        }
        return workflow;
    }
}
