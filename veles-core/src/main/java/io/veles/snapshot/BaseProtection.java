package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Keeps the bases of kept differential snapshots: a snapshot a kept one lists in its manifest's
 * chain is kept too, and so are its own chain's, so that whatever retention keeps still restores.
 * Shared by {@code snapshot prune} and a snapshotter's own retention.
 */
final class BaseProtection {
    /** The reason a base is kept, followed by the name of the kept snapshot that needs it. */
    static final String BASE_OF = "kept: base of ";

    private BaseProtection() {}

    /**
     * {@code kept} (reasons by key) with every snapshot of {@code weighed} that a kept one needs
     * added, its reason {@code kept: base of <name>}.
     *
     * @param chainOf a kept snapshot's chain by key (empty for a standalone or unreadable one)
     * @param nameOf  how the plan shows a snapshot, by key
     */
    static Map<String, String> withBases(
            Map<String, String> kept,
            Set<String> weighed,
            Function<String, List<String>> chainOf,
            Function<String, String> nameOf) {
        Map<String, String> reasons = new LinkedHashMap<>(kept);
        Deque<String> dependents = new ArrayDeque<>(kept.keySet());
        while (!dependents.isEmpty()) {
            String dependent = dependents.poll();
            for (String named : chainOf.apply(dependent)) {
                String base = weighedKeyOf(named, weighed);
                if (base != null && !reasons.containsKey(base)) {
                    reasons.put(base, BASE_OF + nameOf.apply(dependent));
                    dependents.add(base); // its own chain, should a manifest list less than it needs
                }
            }
        }
        return reasons;
    }

    /**
     * The weighed snapshot a chain names by {@code key}: that key, else the only one of its file
     * name (a chain written under another prefix, as {@link SnapshotStore#find} finds it), else null.
     */
    static String weighedKeyOf(String key, Set<String> weighed) {
        if (weighed.contains(key)) {
            return key;
        }
        String found = null;
        for (String candidate : weighed) {
            if (SnapshotStore.sameFile(candidate, key)) {
                if (found != null) {
                    return null;
                }
                found = candidate;
            }
        }
        return found;
    }

    /** The chain {@code manifest} lists, or an empty list for a standalone snapshot or none read. */
    static List<String> chainOf(Manifest manifest) {
        return manifest == null || manifest.chain == null ? List.of() : manifest.chain;
    }

    /**
     * The chain a stored snapshot's manifest lists (its header alone is read); empty where the
     * manifest cannot be read: such a snapshot is weighed as retention always weighed it.
     */
    static List<String> chainOf(SnapshotStore store, StoredSnapshot snapshot) {
        try (SnapshotReader reader = Snapshots.open(store, snapshot, snapshot.location(), null)) {
            return chainOf(reader.manifest());
        } catch (SnapshotException | IOException e) {
            return List.of();
        }
    }

    /**
     * The chain a kept snapshot's manifest lists (its header alone is read). Where the header
     * cannot be read (a lost connection, a snapshot from a newer veles), the snapshots it is built
     * on cannot be told, and deleting any of them could leave it unrestorable: the failure is
     * thrown, naming it, before anything is deleted.
     */
    static List<String> requiredChainOf(SnapshotStore store, StoredSnapshot snapshot) {
        try (SnapshotReader reader = Snapshots.open(store, snapshot, snapshot.location(), null)) {
            return chainOf(reader.manifest());
        } catch (SnapshotException | IOException e) {
            throw new SnapshotException(
                    "cannot tell which snapshots " + shownName(snapshot) + " is built on, so none was deleted: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * A file or object by its whole name, which is its key; a row by its name, since a row's key
     * is internal.
     */
    static String shownName(StoredSnapshot snapshot) {
        String file = snapshot.key().substring(snapshot.key().lastIndexOf('/') + 1);
        return file.startsWith(snapshot.name()) ? file : snapshot.name();
    }
}
