package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.testing.StoreFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A snapshotter's own retention in a table, where rows of one run can come from two snapshotters. */
class OwnRetentionTest {
    @TempDir
    Path dir;

    /**
     * Two snapshotters of one run write one table (wine and wine_ema). A table marks one row per
     * run current; when the other snapshotter's row lands between this one's write and its
     * retention, the row just written is no longer that one, and keep_best alone deleted it
     * (the base of this snapshotter's next differential snapshot). It is kept.
     */
    @Test
    void theRowJustWrittenIsKeptWhenAnotherSnapshotterOfTheRunWroteSince() {
        try (SnapshotStore store =
                SnapshotStores.open("odbc://DRIVER={SQLite3};DATABASE=" + dir.resolve("t.db") + "&runs")) {
            Instant start = Instant.parse("2026-12-06T10:00:00Z");
            OwnSnapshots own = new OwnSnapshots();
            StoredSnapshot best = write(store, "a", "1", start);
            own.add(new OwnSnapshots.Written(best, start, 0.1, List.of()));
            NewSnapshot worse = snapshot("a", "2", start.plusSeconds(1));
            StoredSnapshot justWritten = store.write(worse, out -> out.write(new byte[] {2}));
            own.add(new OwnSnapshots.Written(justWritten, worse.created(), 0.5, List.of()));
            write(store, "b", "1", start.plusSeconds(2)); // the other snapshotter, before this one's retention

            List<StoredSnapshot> deleted = OwnRetention.apply(new Retention(0, null, 1), store, worse, own);

            assertThat(deleted).isEmpty();
            assertThat(store.list()).extracting(StoredSnapshot::name).containsExactlyInAnyOrder("a_1", "a_2", "b_1");
        }
    }

    /**
     * A row of the run that this process did not write (a resumed run's) is weighed by the prefix
     * its manifest records. When the store fails to deliver it, it may be this prefix's and built
     * on the rows weighed here: retention deletes none this time, and says why.
     */
    @Test
    void aRowTheStoreFailsToDeliverStopsRetentionForThisSnapshot() {
        try (SnapshotStore real =
                SnapshotStores.open("odbc://DRIVER={SQLite3};DATABASE=" + dir.resolve("t.db") + "&runs")) {
            Instant start = Instant.parse("2026-12-06T10:00:00Z");
            write(real, "a", "1", start); // the run's, before it was resumed in this process
            SnapshotStore failing = StoreFaults.failingOpen(real, snapshot -> true, "connection reset (injected)");
            OwnSnapshots own = new OwnSnapshots();
            NewSnapshot newer = snapshot("a", "2", start.plusSeconds(1));
            own.add(new OwnSnapshots.Written(
                    real.write(newer, out -> out.write(new byte[] {2})), newer.created(), 0.5, List.of()));

            assertThatThrownBy(() -> OwnRetention.apply(new Retention(1, null, 0), failing, newer, own))
                    .isInstanceOf(io.veles.errors.SnapshotException.class)
                    .hasMessageStartingWith("cannot tell whether a_1 is built on this run's snapshots");
            assertThat(real.list()).extracting(StoredSnapshot::name).containsExactlyInAnyOrder("a_1", "a_2");
        }
    }

    private static StoredSnapshot write(SnapshotStore store, String prefix, String suffix, Instant created) {
        return store.write(snapshot(prefix, suffix, created), out -> out.write(new byte[] {1}));
    }

    private static NewSnapshot snapshot(String prefix, String suffix, Instant created) {
        return new NewSnapshot(prefix, suffix, created, "run-1", "run-1", "w", Codec.NONE);
    }
}
