package io.veles.snapshot;

import io.veles.snapshot.store.SnapshotDirectory;
import io.veles.workflow.Workflow;
import java.nio.file.Path;

/**
 * Writes snapshots as files {@code <directory>/<prefix>_<suffix><ext>} and keeps the link
 * {@code <prefix>_current<ext>} on the newest. Each file is written atomically and durably: a
 * crash leaves every visible snapshot whole.
 */
public class SnapshotterToFile extends Snapshotter {
    private transient SnapshotDirectory directory_;

    public SnapshotterToFile(Workflow workflow, SnapshotSettings settings) {
        super(workflow, "snapshotter", settings);
    }

    public SnapshotterToFile(Workflow workflow, String name, SnapshotSettings settings) {
        super(workflow, name, settings);
    }

    @Override
    protected String destinationOf(String prefix, String suffix) {
        return directory().fileFor(prefix, suffix, settings().compression().extension()).toString();
    }

    @Override
    protected long store(String prefix, String suffix, SnapshotBody body) {
        Path written = directory().write(prefix, suffix, settings().compression().extension(), body::writeTo);
        return written.toFile().length();
    }

    @Override
    protected void settingsChanged() {
        directory_ = null;
    }

    private SnapshotDirectory directory() {
        if (directory_ == null) {
            directory_ = new SnapshotDirectory(Path.of(settings().directory()));
        }
        return directory_;
    }
}
