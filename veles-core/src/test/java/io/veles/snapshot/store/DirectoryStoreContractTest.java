package io.veles.snapshot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
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

    /**
     * A snapshot copied under the link's name (scp and cp -L follow links) is a file: a run on the
     * prefix is refused before it starts, since it could keep no link to its newest snapshot and a
     * later resume from that name would read the old copy again. The file stays as it was.
     */
    @Test
    void aFileWhereTheCurrentLinkGoesStopsARunOnThePrefix() throws Exception {
        Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
        Path copied = snapshots.resolve("wine_current.gz");
        Files.write(copied, new byte[] {9, 9});
        try (SnapshotStore store = openStore()) {
            assertThatThrownBy(() -> store.lockPrefix("wine", "run-1", Codec.GZIP))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessage(copied + " is a file, not the link a run keeps to its newest snapshot (a copy that"
                            + " followed the link, or an S3 pointer copied down?): move it away (a snapshot to e.g."
                            + " wine_restored.gz, and resume from that name)");
            store.lockPrefix("wine_ema", "run-1", Codec.GZIP).close(); // another prefix is not concerned
            store.lockPrefix("wine", "run-1", Codec.XZ).close(); // nor a run of another codec: its link is another
        }
        assertThat(Files.readAllBytes(copied)).containsExactly(9, 9);
    }

    /** A copy (convert) is written beside the snapshots without taking the newest-snapshot link. */
    @Test
    void aCopyLeavesTheCurrentLinkWhereItWas() throws Exception {
        try (SnapshotStore store = openStore()) {
            store.write(
                    new NewSnapshot(
                            "w", "3", java.time.Instant.now(), "run-1", null, "w", io.veles.snapshot.codec.Codec.GZIP),
                    out -> out.write(new byte[] {3}));
            store.writeCopy(
                    new NewSnapshot(
                            "w", "1", java.time.Instant.now(), "run-0", null, "w", io.veles.snapshot.codec.Codec.GZIP),
                    out -> out.write(new byte[] {1}));
            assertThat(Files.readSymbolicLink(dir.resolve("snapshots/w_current.gz"))
                            .toString())
                    .isEqualTo("w_3.gz");
            assertThat(Files.readAllBytes(dir.resolve("snapshots/w_1.gz"))).containsExactly(1);
        }
    }

    /**
     * A file deleted between listing and opening (a run's retention, as prune reads) is gone, not
     * a store failure: nothing is left to read or protect, so it stops no prune.
     */
    @Test
    void aFileDeletedSinceListingIsGoneNotAStoreFailure() throws Exception {
        try (SnapshotStore store = openStore()) {
            store.write(
                    new NewSnapshot("w", "1", java.time.Instant.now(), "run-1", null, "w", Codec.GZIP),
                    out -> out.write(new byte[] {1}));
            StoredSnapshot listed = store.list().get(0);
            Files.delete(dir.resolve("snapshots/w_1.gz"));
            assertThatThrownBy(() -> store.open(listed))
                    .isExactlyInstanceOf(SnapshotException.class)
                    .hasMessageEndingWith("w_1.gz is gone: deleted since it was listed");
        }
    }
}
