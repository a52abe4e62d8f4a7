package io.veles.snapshot.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link SnapshotStoreContract} for a directory of snapshot files. */
class DirectoryStoreContractTest extends SnapshotStoreContract {
    @TempDir
    Path dir;

    @Override
    protected SnapshotStore openStore() {
        return new DirectoryStore(dir.resolve("snapshots"));
    }

    @Override
    protected boolean locksPrefixes() {
        return true;
    }
}
