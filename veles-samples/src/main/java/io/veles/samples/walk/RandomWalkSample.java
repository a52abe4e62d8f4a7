package io.veles.samples.walk;

import io.veles.config.Config;
import io.veles.launcher.WorkflowFactory;
import io.veles.workflow.Workflow;

/** The {@code walk} sample: {@code ./veles run walk}. */
public final class RandomWalkSample implements WorkflowFactory {
    @Override
    public String name() {
        return "walk";
    }

    @Override
    public String description() {
        return "random walkers with a captured generator, counters and an evolving array";
    }

    @Override
    public Class<? extends Workflow> workflowClass() {
        return RandomWalkWorkflow.class;
    }

    @Override
    public Workflow create(Config config) {
        return new RandomWalkWorkflow(config);
    }
}
