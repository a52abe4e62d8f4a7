package com.example.app;

import com.fasterxml.jackson.core.Version;
import io.veles.config.Config;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * An application's workflow whose state holds a class of a library jar (Jackson's Version):
 * start → holder → snapshotter → end. Its snapshots need --allow-package com.fasterxml.jackson.core.
 */
public final class VersionedWorkflow extends Workflow {
    public VersionedWorkflow(Config config) {
        super("versioned");
        Holder holder = new Holder(this);
        Snapshotter snapshotter = Snapshotter.create(
                this, SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("versioned")));
        holder.linkFrom(startPoint());
        snapshotter.linkFrom(holder);
        endPoint().linkFrom(snapshotter);
    }

    /** Holds the library's value. */
    static final class Holder extends Unit {
        Version version = new Version(2, 17, 1, null, "com.example", "app");

        Holder(Workflow workflow) {
            super(workflow, "holder");
        }

        @Override
        public void run() {}
    }
}
