package com.example.app;

import io.veles.config.Config;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * Three snapshots whose metrics are huge and a few units of the last place apart (1e20 and its
 * neighbours), to show the report page's axes still end: start → repeater → scorer → snapshotter,
 * looping until the scorer has run three times.
 */
public final class HugeMetricWorkflow extends Workflow {
    public HugeMetricWorkflow(Config config) {
        super("huge");
        Repeater repeater = new Repeater(this);
        Scorer scorer = new Scorer(this);
        Snapshotter snapshotter = Snapshotter.create(
                this, SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("huge")));
        scorer.snapshotter = snapshotter;
        repeater.linkFrom(startPoint());
        scorer.linkFrom(repeater);
        snapshotter.linkFrom(scorer);
        repeater.linkFrom(snapshotter);
        endPoint().linkFrom(scorer).gateBlock(scorer.done.not());
    }

    /** Records a metric of 1e20 plus a step of one unit in the last place per run. */
    static final class Scorer extends Unit {
        final Bool done = new Bool(false);
        Snapshotter snapshotter;
        int runs;

        Scorer(Workflow workflow) {
            super(workflow, "scorer");
        }

        @Override
        public void run() {
            double metric = 1e20;
            for (int i = 0; i < runs; i++) {
                metric = Math.nextUp(metric);
            }
            snapshotter.info().put("validation_error", metric);
            snapshotter.info().put("epoch", runs);
            runs++;
            done.set(runs >= 3);
        }
    }
}
