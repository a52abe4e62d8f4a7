package io.veles.snapshot;

import io.veles.snapshot.store.StoredSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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

    /** The prefixes that other rows' manifests record (none: empty), by key: each read once. */
    private final Map<String, Optional<String>> recordedPrefixes = new HashMap<>();

    synchronized void add(Written snapshot) {
        written.add(snapshot);
    }

    synchronized List<Written> list() {
        return List.copyOf(written);
    }

    synchronized void removeAll(Collection<Written> deleted) {
        written.removeAll(deleted);
    }

    /**
     * The prefix the manifest of the snapshot {@code key} records, from {@code read} the first
     * time; a read that failed ({@code read} gives null) is tried again next time.
     */
    synchronized Optional<String> recordedPrefix(String key, Supplier<Optional<String>> read) {
        Optional<String> prefix = recordedPrefixes.get(key);
        if (prefix == null) {
            prefix = read.get();
            if (prefix == null) {
                return Optional.empty();
            }
            recordedPrefixes.put(key, prefix);
        }
        return prefix;
    }
}
