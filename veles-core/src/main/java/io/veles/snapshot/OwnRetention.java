package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshotter's retention: it weighs only its own run's snapshots of its prefix. Where the store
 * records which run wrote each (a table's rows), those are the run's snapshots, resumed runs'
 * included; elsewhere (a directory) only the snapshots this snapshotter wrote in this process
 * ({@link OwnSnapshots}), without listing the store or reading a manifest. Pinned snapshots and
 * the prefix's current one are never deleted; other runs', prefixes' and codecs' snapshots are
 * not its business: {@code veles snapshot prune} is.
 */
final class OwnRetention {
    private OwnRetention() {}

    /** Deletes the own snapshots {@code retention} does not keep, once {@code written} is stored; returns them. */
    static List<StoredSnapshot> apply(Retention retention, SnapshotStore store, NewSnapshot written, OwnSnapshots own) {
        Optional<List<StoredSnapshot>> ofRun = store.snapshotsOfRun(written.runId(), written.logId());
        return ofRun.isPresent()
                ? applyToRun(retention, store, written, ofRun.get(), own)
                : applyToOwn(retention, store, own);
    }

    /** The run's snapshots of the prefix, as the store lists them, protected as prune protects them. */
    private static List<StoredSnapshot> applyToRun(
            Retention retention,
            SnapshotStore store,
            NewSnapshot written,
            List<StoredSnapshot> ofRun,
            OwnSnapshots own) {
        Map<String, Double> recorded = new HashMap<>();
        Map<String, List<String>> chains = new HashMap<>();
        for (OwnSnapshots.Written each : own.list()) {
            recorded.put(each.snapshot().key(), each.metric());
            chains.put(each.snapshot().key(), each.chain());
        }
        Map<String, String> protection = new HashMap<>(store.protections());
        // The snapshot just written is this prefix's newest even where another snapshotter of the
        // run wrote a row since (a table marks one row per run current): never its retention's to delete.
        List<OwnSnapshots.Written> mine = own.list();
        if (!mine.isEmpty()) {
            protection.putIfAbsent(mine.get(mine.size() - 1).snapshot().key(), SnapshotStore.CURRENT);
        }
        List<StoredSnapshot> weighed = new ArrayList<>();
        List<Retention.Candidate> candidates = new ArrayList<>();
        for (StoredSnapshot snapshot : ofRun) {
            if (ofPrefix(store, snapshot, written.prefix(), recorded.keySet(), own)) {
                weighed.add(snapshot);
                Double metric = recorded.containsKey(snapshot.key()) || retention.keepBest() == 0
                        ? recorded.get(snapshot.key())
                        : metricOf(store, snapshot);
                candidates.add(new Retention.Candidate(
                        snapshot.key(), snapshot.created(), metric, protection.get(snapshot.key())));
            }
        }
        // A resumed run's earlier rows were not written here: their chains are read from their headers.
        Map<String, String> kept = withBases(
                retention.kept(candidates),
                weighed,
                snapshot -> chains.containsKey(snapshot.key())
                        ? chains.get(snapshot.key())
                        : BaseProtection.requiredChainOf(store, snapshot));
        return deleteUnkept(store, weighed, kept, own);
    }

    /**
     * Whether a row of the run is one of {@code prefix}'s: its name starts with the prefix and
     * '_', and a row this snapshotter did not write in this process (a resumed run's, or another
     * snapshotter's of the same run: 'wine_ema_3' starts with 'wine_') records the prefix in its
     * manifest. A row whose manifest cannot be read, or records no prefix, is left alone.
     */
    private static boolean ofPrefix(
            SnapshotStore store, StoredSnapshot snapshot, String prefix, Set<String> mine, OwnSnapshots own) {
        if (!snapshot.name().startsWith(prefix + "_")) {
            return false;
        }
        if (mine.contains(snapshot.key())) {
            return true;
        }
        return own.recordedPrefix(snapshot.key(), () -> readPrefix(store, snapshot))
                .filter(prefix::equals)
                .isPresent();
    }

    /** The prefix {@code snapshot}'s manifest records (empty: none), or null when it cannot be read. */
    private static Optional<String> readPrefix(SnapshotStore store, StoredSnapshot snapshot) {
        try (SnapshotReader reader = Snapshots.open(store, snapshot, snapshot.location(), null)) {
            return Optional.ofNullable(SnapshotPruning.Filter.prefixOf(reader.manifest()));
        } catch (io.veles.errors.SnapshotStoreException e) {
            // The store failed, not the row: it may be this prefix's, built on rows weighed here.
            throw new SnapshotException(
                    "cannot tell whether " + snapshot.name() + " is built on this run's snapshots,"
                            + " so retention deleted none this time: " + e.getMessage(),
                    e);
        } catch (SnapshotException | IOException e) {
            return null;
        }
    }

    /**
     * The snapshots this snapshotter wrote in this process. The newest is what its newest-pointer
     * names (the pointer moves only after a snapshot is stored, and one run writes a prefix), so
     * it is current without asking the store: asking would read other codecs' pointers too.
     */
    private static List<StoredSnapshot> applyToOwn(Retention retention, SnapshotStore store, OwnSnapshots own) {
        List<OwnSnapshots.Written> mine = own.list();
        String current =
                mine.isEmpty() ? null : mine.get(mine.size() - 1).snapshot().key();
        List<StoredSnapshot> weighed = new ArrayList<>();
        List<Retention.Candidate> candidates = new ArrayList<>();
        Instant previous = Instant.MIN;
        for (OwnSnapshots.Written written : mine) {
            // Written in this order: snapshots taken within one millisecond still rank by it.
            Instant created = written.created().isAfter(previous) ? written.created() : previous.plusNanos(1);
            previous = created;
            StoredSnapshot snapshot = written.snapshot();
            weighed.add(snapshot);
            String protection = store.isPinned(snapshot)
                    ? SnapshotStore.PINNED
                    : snapshot.key().equals(current) ? SnapshotStore.CURRENT : null;
            candidates.add(new Retention.Candidate(snapshot.key(), created, written.metric(), protection));
        }
        Map<String, List<String>> chains = new HashMap<>();
        for (OwnSnapshots.Written written : mine) {
            chains.put(written.snapshot().key(), written.chain());
        }
        Map<String, String> kept =
                withBases(retention.kept(candidates), weighed, snapshot -> chains.get(snapshot.key()));
        return deleteUnkept(store, weighed, kept, own);
    }

    /** {@code kept} with the bases its differential snapshots need among {@code weighed}. */
    private static Map<String, String> withBases(
            Map<String, String> kept,
            List<StoredSnapshot> weighed,
            java.util.function.Function<StoredSnapshot, List<String>> chainOf) {
        Map<String, StoredSnapshot> byKey = new HashMap<>();
        for (StoredSnapshot snapshot : weighed) {
            byKey.put(snapshot.key(), snapshot);
        }
        return BaseProtection.withBases(
                kept,
                byKey.keySet(),
                key -> chainOf.apply(byKey.get(key)),
                key -> BaseProtection.shownName(byKey.get(key)));
    }

    /**
     * Deletes the snapshots of {@code weighed} that {@code kept} does not name, asking again just
     * before each whether it is pinned (a pin made since the plan still counts) or current.
     */
    private static List<StoredSnapshot> deleteUnkept(
            SnapshotStore store, List<StoredSnapshot> weighed, Map<String, String> kept, OwnSnapshots own) {
        List<StoredSnapshot> deleted = new ArrayList<>();
        try {
            for (StoredSnapshot snapshot : weighed) {
                if (!kept.containsKey(snapshot.key()) && !store.isPinned(snapshot)) {
                    store.delete(snapshot);
                    deleted.add(snapshot);
                }
            }
        } finally {
            own.removeAll(own.list().stream()
                    .filter(mine -> deleted.stream()
                            .anyMatch(gone -> gone.key().equals(mine.snapshot().key())))
                    .toList());
        }
        return deleted;
    }

    /** The decision's metric a stored snapshot's manifest records, or null where it cannot be read. */
    private static Double metricOf(SnapshotStore store, StoredSnapshot snapshot) {
        try (SnapshotReader reader = Snapshots.open(store, snapshot, snapshot.location(), null)) {
            return SnapshotPruning.metricOf(reader.manifest());
        } catch (SnapshotException | IOException e) {
            return null;
        }
    }
}
