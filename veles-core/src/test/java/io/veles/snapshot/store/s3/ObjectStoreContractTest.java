package io.veles.snapshot.store.s3;

import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.SnapshotStoreContract;
import io.veles.testing.TestS3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

/** {@link SnapshotStoreContract} for an {@link ObjectStore} on the test S3 server, a fresh prefix per test. */
@Tag("slow")
class ObjectStoreContractTest extends SnapshotStoreContract {
    @RegisterExtension
    static final TestS3 s3 = TestS3.perClass();

    private final String prefix = "contract-" + UUID.randomUUID();

    @Override
    protected SnapshotStore openStore() {
        return ObjectStore.open(s3.location(prefix), s3.options());
    }

    /** S3 has no locks: two runs on one prefix are the user's to avoid (see ObjectStore). */
    @Override
    protected boolean locksPrefixes() {
        return false;
    }
}
