package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.workflow.Workflow;

/**
 * Writes snapshots as rows of VELES's table ({@code timestamp, id, log_id, workflow, name,
 * codec, data}) in the database that {@code odbc} names, table {@code table} (default
 * {@code veles}), created if missing. Each snapshot is one transaction: a failure leaves nothing of
 * it visible. Restore with {@code odbc://<odbc>&<table>&<id>&<log_id>&<name>}, which
 * {@link #destination()} gives (password hidden).
 */
public class SnapshotterToDB extends Snapshotter {
    public SnapshotterToDB(Workflow workflow, SnapshotSettings settings) {
        this(workflow, "snapshotter", settings);
    }

    public SnapshotterToDB(Workflow workflow, String name, SnapshotSettings settings) {
        super(workflow, name, settings);
        if (settings.odbc() == null) {
            throw new SnapshotException("a database snapshotter needs the odbc parameter");
        }
    }
}
