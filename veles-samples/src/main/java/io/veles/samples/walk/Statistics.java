package io.veles.samples.walk;

import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Bool;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.util.ArrayList;

/**
 * The decision: counts iterations, keeps the history of the mean distance from the origin,
 * names the next snapshot after the iteration, and completes the run after {@code iterations}.
 */
public final class Statistics extends Unit {
    private int iterations;
    private final Snapshotter snapshotter;
    final Bool complete = new Bool(false);
    float[] positions;
    int iteration;
    double farthest;
    final ArrayList<Double> meanDistance = new ArrayList<>();

    Statistics(Workflow workflow, int iterations, Snapshotter snapshotter) {
        super(workflow, "statistics");
        this.iterations = iterations;
        this.snapshotter = snapshotter;
    }

    /** A resumed run's new length; complete at once if it has already gone that far. */
    void iterations(int newIterations) {
        this.iterations = newIterations;
        complete.set(iteration >= iterations);
    }

    @Override
    public void run() {
        iteration++;
        double sum = 0;
        for (float position : positions) {
            double distance = Math.abs(position);
            sum += distance;
            farthest = Math.max(farthest, distance);
        }
        meanDistance.add(sum / positions.length);
        snapshotter.suffix(String.format(java.util.Locale.ROOT, "%05d", iteration)); // ASCII digits in any locale
        snapshotter.info().put("iteration", iteration);
        complete.set(iteration >= iterations);
    }
}
