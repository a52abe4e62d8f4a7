package io.veles.snapshot;

import io.veles.workflow.Workflow;

/**
 * Writes snapshots as files {@code <directory>/<prefix>_<suffix><ext>} and keeps the link
 * {@code <prefix>_current<ext>} on the newest. Each file is written atomically and durably: a
 * crash leaves every visible snapshot whole.
 */
public class SnapshotterToFile extends Snapshotter {
    public SnapshotterToFile(Workflow workflow, SnapshotSettings settings) {
        super(workflow, "snapshotter", settings);
    }

    public SnapshotterToFile(Workflow workflow, String name, SnapshotSettings settings) {
        super(workflow, name, settings);
    }
}
