package com.example.app;

import io.veles.config.Config;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * A workflow whose unit has a name that is markup, to show the report page keeps it text:
 * start → holder → snapshotter → end.
 */
public final class HostileNamesWorkflow extends Workflow {
    /** Would retitle the page, by a script or by an image's error handler, were it ever parsed as HTML. */
    public static final String UNIT =
            "</script><script>document.title='pwned'</script>" + "<img src=x onerror=\"document.title='pwned'\">\u2028";

    public HostileNamesWorkflow(Config config) {
        super("hostile");
        Holder holder = new Holder(this);
        Snapshotter snapshotter = Snapshotter.create(
                this, SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("hostile")));
        holder.linkFrom(startPoint());
        snapshotter.linkFrom(holder);
        endPoint().linkFrom(snapshotter);
    }

    /** Holds weights under the hostile name. */
    static final class Holder extends Unit {
        float[] weights = {0.5f, -1.25f, 2f, 3.5f};

        Holder(Workflow workflow) {
            super(workflow, UNIT);
        }

        @Override
        public void run() {}
    }
}
