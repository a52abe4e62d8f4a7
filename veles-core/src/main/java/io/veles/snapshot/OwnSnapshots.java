package io.veles.snapshot;

import io.veles.snapshot.store.StoredSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The snapshots one snapshotter wrote in this process, oldest first: all that its retention may
 * delete where the store does not record which run wrote a snapshot. Kept in memory only and never
 * captured, so that a snapshot never steers what a resumed run deletes, and retention costs what
 * these snapshots cost, however many other files share their directory. The writer thread adds,
 * the run's thread reads: access is synchronized.
 */
final class OwnSnapshots {
    /**
     * One written snapshot.
     *
     * @param snapshot the store's handle of it
     * @param created  when it was taken
     * @param metric   the decision's metric it recorded, or null
     * @param chain    the keys of the snapshots it needs (its manifest's chain), empty if standalone
     */
    record Written(StoredSnapshot snapshot, Instant created, Double metric, List<String> chain) {}

    private final List<Written> written = new ArrayList<>();

    synchronized void add(Written snapshot) {
        written.add(snapshot);
    }

    synchronized List<Written> list() {
        return List.copyOf(written);
    }

    synchronized void removeAll(Collection<Written> deleted) {
        written.removeAll(deleted);
    }
}
