package io.veles.samples.walk;

import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/** Moves each walker by its step. Its {@code steps} is linked to the sampler's (shared). */
public final class Integrator extends Unit {
    float[] steps;
    float[] positions;
    /** A per-process scratch buffer: not captured (its name ends in _), rebuilt on restore. */
    private float[] previous_;

    Integrator(Workflow workflow, int walkers) {
        super(workflow, "integrator");
        this.positions = new float[walkers];
    }

    @Override
    protected void initUnpickled() {
        super.initUnpickled();
        previous_ = new float[positions.length];
    }

    @Override
    public void run() {
        System.arraycopy(positions, 0, previous_, 0, positions.length);
        for (int i = 0; i < positions.length; i++) {
            positions[i] = previous_[i] + steps[i];
        }
    }
}
