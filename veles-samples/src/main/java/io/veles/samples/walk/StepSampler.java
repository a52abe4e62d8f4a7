package io.veles.samples.walk;

import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/** Draws one Gaussian step per walker from the workflow's captured generator. */
public final class StepSampler extends Unit {
    private final float stepSize;
    float[] steps;

    StepSampler(Workflow workflow, int walkers, float stepSize) {
        super(workflow, "sampler");
        this.stepSize = stepSize;
        this.steps = new float[walkers];
    }

    @Override
    public void run() {
        random().fillGaussian(steps, 0, stepSize);
    }
}
