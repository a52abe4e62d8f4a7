package com.example.app;

import io.veles.config.Config;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.util.Random;

/**
 * A mostly frozen workflow: a 1 MiB table that never changes and a 16 KiB part trained each
 * iteration, snapshotted every iteration. With --incremental its snapshots reference the table in
 * their chain, as a large frozen model's would. {@code frozen.iterations} (default 4).
 */
public final class FrozenTableWorkflow extends Workflow {
    public FrozenTableWorkflow(Config config) {
        super("frozen");
        Repeater repeater = new Repeater(this);
        Model model = new Model(this, config.section("frozen").getInt("iterations", 4));
        Snapshotter snapshotter = Snapshotter.create(
                this, SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("frozen")));
        repeater.linkFrom(startPoint());
        model.linkFrom(repeater);
        snapshotter.linkFrom(model);
        repeater.linkFrom(snapshotter);
        endPoint().linkFrom(model).gateBlock(model.complete.not());
    }

    /** The frozen table and the trained part. */
    static final class Model extends Unit {
        final Bool complete = new Bool(false);
        final int iterations;
        float[] table;
        float[] trained;
        int count;

        Model(Workflow workflow, int iterations) {
            super(workflow, "model");
            this.iterations = iterations;
            Random random = new Random(7);
            table = new float[1 << 18];
            for (int i = 0; i < table.length; i++) {
                table[i] = (float) random.nextGaussian();
            }
            trained = new float[1 << 12];
        }

        @Override
        public void run() {
            count++;
            for (int i = 0; i < trained.length; i++) {
                trained[i] = trained[i] * 0.5f + table[(i * 31 + count) % table.length];
            }
            complete.set(count >= iterations);
        }
    }
}
