package io.veles.samples.walk;

import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * Pulls every walker slightly back to the origin. It runs after the snapshotter, so a restored
 * run must run it first to finish the interrupted iteration.
 */
public final class Damper extends Unit {
    private final float damping;
    float[] positions;
    long dampings;

    Damper(Workflow workflow, float damping) {
        super(workflow, "damper");
        this.damping = damping;
    }

    @Override
    public void run() {
        float keep = 1 - damping;
        for (int i = 0; i < positions.length; i++) {
            positions[i] *= keep;
        }
        dampings++;
    }
}
