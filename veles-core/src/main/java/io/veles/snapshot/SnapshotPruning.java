package io.veles.snapshot;

import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.store.SnapshotSource;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Applies a {@link Retention} policy to a store, and pins the snapshots it must never delete. What
 * a store protects ({@link SnapshotStore#protections}: pinned snapshots, and current ones, such as
 * the targets of a directory's {@code _current} links or each run's newest row of a table) is
 * never deleted. {@link #plan} decides; {@link #apply} deletes exactly what the plan says, so a
 * dry run shows what a real one does.
 */
public final class SnapshotPruning {
    /** The metric the decision records; lower is better. */
    public static final String METRIC = "validation_error";

    private SnapshotPruning() {}

    /** One snapshot's fate: kept (with the reason) or deleted ({@code reason} null). */
    public record Decision(SnapshotListing.Entry entry, String reason) {
        public boolean kept() {
            return reason != null;
        }

        /**
         * False for a file, object or row that was read and does not read as a snapshot (a
         * user's file beside the snapshots, a damaged snapshot, one from a newer veles): it is
         * always kept, and not counted among the snapshots.
         */
        public boolean isSnapshot() {
            return entry.problem() == null;
        }
    }

    /** The plan for every snapshot in {@code store} (a directory or an {@code odbc://} source). */
    public static List<Decision> plan(String store, Retention retention) {
        return plan(store, retention, Filter.ALL);
    }

    /** The plan for the snapshots in {@code store} that {@code filter} selects; the others stay. */
    public static List<Decision> plan(String store, Retention retention, Filter filter) {
        try (SnapshotStore opened = SnapshotStores.open(store)) {
            return plan(opened, retention, filter);
        }
    }

    /** The plan for the snapshots of {@code store} that {@code filter} selects; the others stay. */
    public static List<Decision> plan(SnapshotStore store, Retention retention, Filter filter) {
        return plan(store, retention, filter, false);
    }

    /**
     * As {@link #plan(SnapshotStore, Retention, Filter)}; with {@code readKeptWhole}, every
     * snapshot a rule would keep is first read whole ({@link SnapshotReader#verifyOwnBytes}). A
     * listing reads only a snapshot's header and manifest, so a truncated file can look whole
     * there: kept as the newest or the best, it would let the whole snapshots it displaced be
     * deleted. One found damaged is kept as not read, never pruned, and the rules are weighed
     * again without it, so the next whole snapshot is kept in its place. Costs a read of each
     * kept snapshot: what {@code veles snapshot prune} pays, not a snapshotter's own retention,
     * whose snapshots it has just written whole.
     */
    public static List<Decision> plan(SnapshotStore store, Retention retention, Filter filter, boolean readKeptWhole) {
        return plan(store, retention, filter::test, filter::mayConcern, filter.needsManifests(), readKeptWhole);
    }

    /**
     * Which snapshots a prune weighs: those of one prefix, of one workflow (its name or class), or
     * both; null means any. A snapshot whose manifest cannot be read is left out of a filtered
     * plan: what cannot be told apart is not deleted.
     */
    public record Filter(String prefix, String workflow) {
        public static final Filter ALL = new Filter(null, null);

        boolean needsManifests() {
            return prefix != null || workflow != null;
        }

        /**
         * Whether a snapshot the store failed to deliver may belong to this filter's snapshots'
         * chains: with a prefix, only one whose name starts with it (a snapshotter's chain stays
         * within its prefix: an unreadable file of another user's prefix stops nothing here).
         */
        boolean mayConcern(SnapshotListing.Entry unread) {
            return prefix == null || unread.name().startsWith(prefix + "_");
        }

        boolean test(SnapshotListing.Entry entry) {
            if (!needsManifests()) {
                return true;
            }
            Manifest manifest = entry.manifest();
            if (manifest == null) {
                return false;
            }
            return (prefix == null || prefix.equals(prefixOf(manifest)))
                    && (workflow == null
                            || workflow.equals(manifest.workflowName)
                            || workflow.equals(manifest.workflowClass));
        }

        /**
         * The prefix a snapshot was written under: recorded in its manifest, or, for snapshots
         * written before it was, its name without {@code _<suffix>}; null if neither tells.
         */
        public static String prefixOf(Manifest manifest) {
            Object recorded = manifest.info.get("prefix");
            if (recorded != null) {
                return recorded.toString();
            }
            Object suffix = manifest.info.get("suffix");
            String name = manifest.name;
            if (suffix != null && name != null && name.endsWith("_" + suffix)) {
                return name.substring(0, name.length() - suffix.toString().length() - 1);
            }
            return null;
        }
    }

    /**
     * The plan for the snapshots of {@code store} that {@code scope} selects; the others are left
     * out of the plan, and so never deleted. Manifests of table rows are read only when the policy
     * needs their metric.
     */
    public static List<Decision> plan(
            SnapshotStore store, Retention retention, Predicate<SnapshotListing.Entry> scope) {
        return plan(store, retention, scope, unread -> true, false, false);
    }

    private static List<Decision> plan(
            SnapshotStore store,
            Retention retention,
            Predicate<SnapshotListing.Entry> scope,
            Predicate<SnapshotListing.Entry> unreadMayConcern,
            boolean manifests,
            boolean readKeptWhole) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(retention, "retention");
        // Asked before the listing, which may take minutes: a run that stores a snapshot on its
        // current one meanwhile moves "current" to a snapshot this plan does not weigh, and the
        // one it was built on would be weighed unprotected.
        Map<String, String> protection = store.protections();
        List<SnapshotListing.Entry> listed = new ArrayList<>();
        for (SnapshotListing.Entry entry : SnapshotListing.list(store, manifests || retention.keepBest() > 0)) {
            if (entry.storeFailed() && unreadMayConcern.test(entry)) {
                // It may be whole, of any prefix or workflow (its manifest is unread), and any other
                // snapshot its base: weighing without it could delete them.
                throw new SnapshotException("cannot tell which snapshots " + BaseProtection.shownName(entry.snapshot())
                        + " is built on, so none was deleted: " + entry.problem());
            }
            if (scope.test(entry)) {
                listed.add(entry);
            }
        }
        // What was read and is not a snapshot is never weighed, so never deleted: a directory
        // lists every file in it, and a README or a newer veles's snapshot beside ours is not ours.
        List<SnapshotListing.Entry> entries = new ArrayList<>();
        for (SnapshotListing.Entry entry : listed) {
            if (entry.problem() == null) {
                entries.add(entry);
            }
        }
        Map<String, SnapshotListing.Entry> byKey = new HashMap<>();
        for (SnapshotListing.Entry entry : entries) {
            byKey.put(entry.snapshot().key(), entry);
        }
        Map<String, String> damaged = new HashMap<>(); // found reading kept snapshots whole: key -> problem
        Set<String> readWhole = new HashSet<>();
        Map<String, List<String>> chains = new HashMap<>(); // a row's may take a header read: once each
        Function<String, List<String>> chainOfKey =
                key -> chains.computeIfAbsent(key, k -> chainOf(store, byKey.get(k)));
        Map<String, String> kept;
        while (true) {
            List<Retention.Candidate> candidates = new ArrayList<>();
            for (SnapshotListing.Entry entry : entries) {
                String key = entry.snapshot().key();
                if (!damaged.containsKey(key)) {
                    candidates.add(new Retention.Candidate(
                            key, entry.created(), metricOf(entry.manifest()), protection.get(key)));
                }
            }
            kept = BaseProtection.withBases(
                    retention.kept(candidates),
                    byKey.keySet(),
                    chainOfKey,
                    key -> BaseProtection.shownName(byKey.get(key).snapshot()));
            boolean found = false;
            for (String key : readKeptWhole ? kept.keySet() : Set.<String>of()) {
                if (!damaged.containsKey(key) && readWhole.add(key)) {
                    String problem = damageOf(store, byKey.get(key).snapshot());
                    if (problem != null) {
                        damaged.put(key, problem);
                        found = true;
                    }
                }
            }
            if (!found) {
                break;
            }
            damagedThroughBases(entries, byKey.keySet(), chainOfKey, damaged);
        }
        List<Decision> decisions = new ArrayList<>();
        for (SnapshotListing.Entry listedEntry : listed) {
            SnapshotListing.Entry entry = listedEntry;
            String damage = damaged.get(entry.snapshot().key());
            if (damage != null) { // counted with what does not read as a snapshot, as the listing would have
                entry = new SnapshotListing.Entry(
                        entry.snapshot(),
                        entry.name(),
                        entry.created(),
                        entry.workflow(),
                        entry.codec(),
                        entry.manifest(),
                        damage,
                        false);
            }
            decisions.add(new Decision(
                    entry,
                    entry.problem() == null
                            ? kept.get(entry.snapshot().key())
                            : "not read as a snapshot, never pruned: " + entry.problem()));
        }
        return decisions;
    }

    /**
     * Marks in {@code damaged} every snapshot built on a damaged one: its own bytes may be whole,
     * but it restores through that base, so it cannot stand in for a whole snapshot a rule would
     * keep. Kept all the same (never pruned), as the damaged base is. A chain lists every base
     * down to the standalone snapshot, so one pass finds them all.
     */
    private static void damagedThroughBases(
            List<SnapshotListing.Entry> entries,
            Set<String> weighed,
            Function<String, List<String>> chainOf,
            Map<String, String> damaged) {
        for (SnapshotListing.Entry entry : entries) {
            String key = entry.snapshot().key();
            if (damaged.containsKey(key)) {
                continue;
            }
            for (String named : chainOf.apply(key)) {
                String base = BaseProtection.weighedKeyOf(named, weighed);
                if (base != null
                        && damaged.containsKey(base)
                        && !damaged.get(base).startsWith(BUILT_ON_DAMAGE)) {
                    damaged.put(key, BUILT_ON_DAMAGE + damaged.get(base));
                    break;
                }
            }
        }
    }

    private static final String BUILT_ON_DAMAGE = "its base is damaged: ";

    /**
     * Why {@code snapshot}'s own bytes do not read whole (truncated, altered), or null if they do.
     * A store that fails to deliver them is not damage: that failure propagates, and nothing is
     * deleted.
     */
    private static String damageOf(SnapshotStore store, StoredSnapshot snapshot) {
        try (SnapshotReader reader = Snapshots.open(store, snapshot, snapshot.location(), null)) {
            reader.verifyOwnBytes();
            return null;
        } catch (CorruptSnapshotException e) {
            return e.getMessage();
        } catch (IOException e) { // closing it: the bytes were read by then
            throw new java.io.UncheckedIOException("cannot close " + snapshot.location(), e);
        }
    }

    /** The chain of a kept snapshot: from the manifest listed with it, else from its header. */
    private static List<String> chainOf(SnapshotStore store, SnapshotListing.Entry entry) {
        if (entry.manifest() != null) {
            return BaseProtection.chainOf(entry.manifest());
        }
        return BaseProtection.requiredChainOf(store, entry.snapshot());
    }

    /** The decision's metric a manifest records, or null. */
    static Double metricOf(Manifest manifest) {
        Object metric = manifest == null ? null : manifest.info.get(METRIC);
        return metric instanceof Number ? ((Number) metric).doubleValue() : null;
    }

    /** Deletes what {@code decisions} does not keep; returns how many were deleted. */
    public static int apply(String store, List<Decision> decisions) {
        try (SnapshotStore opened = SnapshotStores.open(store)) {
            return apply(opened, decisions);
        }
    }

    /**
     * Deletes what {@code decisions} (a plan for {@code store}) does not keep, asking the store's
     * protections again first (a pin made since the plan still counts); returns how many were
     * deleted, not counting those gone since the plan. A plan made for another store is refused
     * before anything is deleted.
     */
    public static int apply(SnapshotStore store, List<Decision> decisions) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(decisions, "decisions");
        Map<String, StoredSnapshot> here = new HashMap<>();
        for (StoredSnapshot stored : store.list()) {
            here.put(stored.key(), stored);
        }
        for (Decision decision : decisions) {
            // A plan names snapshots by key, and another store may hold the same names (a copy of
            // the directory): applied there, it would delete that store's snapshots.
            StoredSnapshot planned = decision.entry().snapshot();
            StoredSnapshot now = here.get(planned.key());
            if (now != null && !now.location().equals(planned.location())) {
                throw new SnapshotException("this plan was made for another store (it names " + planned.location()
                        + ", not " + now.location() + "), so none was deleted");
            }
        }
        Map<String, String> protection = store.protections();
        Set<String> needed = basesOfNewCurrent(store, protection, decisions);
        int deleted = 0;
        for (Decision decision : decisions) {
            StoredSnapshot snapshot = decision.entry().snapshot();
            if (!decision.kept()
                    && here.containsKey(snapshot.key()) // gone since the plan (an earlier apply): not counted
                    && !protection.containsKey(snapshot.key())
                    && !needed.contains(snapshot.key())) {
                store.delete(snapshot);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * The planned snapshots that a snapshot made current since the plan is built on. A live run
     * may store two snapshots while a plan lists (minutes on S3): the first is listed and weighed
     * unprotected, the second becomes current and is built on it, and deleting the first would
     * leave the current snapshot unrestorable. A current snapshot the plan kept has its chain
     * kept already; a pin covers its chain when it is made.
     */
    private static Set<String> basesOfNewCurrent(
            SnapshotStore store, Map<String, String> protection, List<Decision> decisions) {
        Map<String, StoredSnapshot> weighed = new HashMap<>();
        Set<String> keptByPlan = new HashSet<>();
        for (Decision decision : decisions) {
            weighed.put(decision.entry().snapshot().key(), decision.entry().snapshot());
            if (decision.kept()) {
                keptByPlan.add(decision.entry().snapshot().key());
            }
        }
        Map<String, String> newCurrent = new LinkedHashMap<>();
        for (Map.Entry<String, String> protected_ : protection.entrySet()) {
            String key = protected_.getKey();
            if (SnapshotStore.CURRENT.equals(protected_.getValue()) && !keptByPlan.contains(key)) {
                if (!weighed.containsKey(key)) { // stored after the listing
                    Optional<StoredSnapshot> found = store.find(key);
                    if (found.isEmpty()) {
                        continue; // gone since: nothing it needs is left to keep
                    }
                    weighed.put(key, found.get());
                }
                newCurrent.put(key, SnapshotStore.CURRENT);
            }
        }
        if (newCurrent.isEmpty()) {
            return Set.of();
        }
        return BaseProtection.withBases(
                        newCurrent,
                        weighed.keySet(),
                        key -> BaseProtection.requiredChainOf(store, weighed.get(key)),
                        key -> BaseProtection.shownName(weighed.get(key)))
                .keySet();
    }

    /**
     * Pins the snapshot {@code source} names (a file, or a {@code _current} link: the file it
     * points to; an {@code odbc://} source: the newest row it matches), and, for a differential
     * snapshot, every snapshot of its chain: prune never deletes them, so it still restores.
     * Returns what was pinned, the named snapshot first, then its chain as the store holds it.
     *
     * <p>The chain is pinned from its first snapshot on, the named one last: a prune running
     * meanwhile never finds a pinned snapshot whose bases it may still delete. Once pinned, each
     * is looked up again; a base that is missing (never here, or deleted by a prune before its pin)
     * is reported after pinning the rest, since the named snapshot cannot be restored without it.
     */
    public static List<String> pin(String source) {
        try (SnapshotSource named = namingOne(source)) {
            SnapshotStore store = named.store();
            StoredSnapshot snapshot = named.snapshot();
            List<String> chain;
            try (SnapshotReader header = Snapshots.open(store, snapshot, snapshot.location(), null)) {
                chain = BaseProtection.chainOf(header.manifest());
            } catch (SnapshotException
                    | IOException e) { // a pin on what is not a snapshot would keep nothing restorable
                throw new SnapshotException(
                        "cannot pin " + BaseProtection.shownName(snapshot) + ": " + e.getMessage(), e);
            }
            List<StoredSnapshot> pinned = new ArrayList<>();
            pinned.add(snapshot);
            List<String> missing = new ArrayList<>();
            if (!chain.isEmpty()) {
                Map<String, StoredSnapshot> listed = new HashMap<>(); // one listing, not one a base
                for (StoredSnapshot stored : store.list()) {
                    listed.put(stored.key(), stored);
                }
                for (String key : chain) {
                    // not listed: a table row's address lists its row alone, a copied prefix other keys
                    Optional<StoredSnapshot> base =
                            Optional.ofNullable(listed.get(key)).or(() -> store.find(key));
                    if (base.isPresent()) {
                        pinned.add(base.get());
                    } else {
                        missing.add(key);
                    }
                }
            }
            for (int i = pinned.size() - 1; i >= 0; i--) { // the chain's first snapshot first, the named one last
                store.pin(pinned.get(i));
            }
            List<String> locations = new ArrayList<>();
            for (StoredSnapshot each : pinned) {
                if (each != snapshot && store.find(each.key()).isEmpty()) {
                    missing.add(each.key()); // deleted before its pin was made
                }
                locations.add(each.location());
            }
            if (!missing.isEmpty()) {
                throw new SnapshotException("pinned " + BaseProtection.shownName(snapshot) + ", but "
                        + String.join(", ", missing)
                        + (missing.size() == 1 ? ", a snapshot it is built on, is" : ", snapshots it is built on, are")
                        + " missing: it cannot be restored until " + (missing.size() == 1 ? "that is" : "they are")
                        + " back");
            }
            return locations;
        }
    }

    /**
     * Unpins the snapshot pinned by {@link #pin}, and it alone: its chain's pins stay, since
     * another pinned snapshot may share them. Returns false if it was not pinned.
     */
    public static boolean unpin(String source) {
        try (SnapshotSource named = namingOne(source)) {
            return named.store().unpin(named.snapshot());
        }
    }

    /** The source, which must name one snapshot: a store as a whole is not pinned. */
    private static SnapshotSource namingOne(String source) {
        SnapshotSource named = SnapshotStores.source(source);
        if (!named.namesOne()) {
            named.close();
            throw new SnapshotException("no snapshot file " + source + ": name one snapshot of it to pin");
        }
        return named;
    }
}
