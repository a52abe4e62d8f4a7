package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The snapshots of a store (a directory, or a table named by an {@code odbc://} source, whose id,
 * log_id and name, where given, filter the rows), each with its manifest, oldest first.
 */
public final class SnapshotListing {
    private static final String UNKNOWN = "?";

    private SnapshotListing() {}

    /**
     * One stored snapshot, with what its manifest says.
     *
     * @param snapshot the store's handle: opens, deletes and pins it again
     * @param manifest its manifest, or null when it was not read, or could not be ({@code problem} says why)
     * @param storeFailed true when the problem was the store's (a lost connection, a refused read)
     *     rather than the bytes': the snapshot may be whole, and built on others
     */
    public record Entry(
            StoredSnapshot snapshot,
            String name,
            Instant created,
            String workflow,
            String codec,
            Manifest manifest,
            String problem,
            boolean storeFailed) {
        /** How to name it to restore, verify or inspect it (passwords hidden). */
        public String source() {
            return snapshot.location();
        }

        public long bytes() {
            return snapshot.bytes();
        }

        @Override
        public String toString() {
            return "Entry[" + source() + "]";
        }
    }

    /** The snapshots of the store {@code location} names, with their manifests. */
    public static List<Entry> list(String location) {
        try (SnapshotStore store = SnapshotStores.open(location)) {
            return list(store, true);
        }
    }

    /**
     * The snapshots of {@code store}, oldest first. Without {@code manifests}, snapshots are
     * listed from what the store records alone ({@code manifest} and {@code problem} null) where
     * it records their workflow: reading a manifest fetches a table row's first chunk, up to 4 MiB.
     */
    public static List<Entry> list(SnapshotStore store, boolean manifests) {
        List<Entry> entries = new ArrayList<>();
        for (StoredSnapshot snapshot : store.list()) {
            entries.add(
                    manifests || snapshot.workflow() == null
                            ? withManifest(store, snapshot)
                            : fromStore(snapshot, null, false));
        }
        entries.sort(Comparator.comparing(Entry::created)
                .thenComparing(Entry::name, Comparator.nullsFirst(Comparator.naturalOrder()))); // a name is optional
        return entries;
    }

    /** What the manifest says; a snapshot that cannot be read, with why. */
    private static Entry withManifest(SnapshotStore store, StoredSnapshot snapshot) {
        try (SnapshotReader reader = Snapshots.open(store, snapshot, snapshot.location(), null)) {
            Manifest manifest = reader.manifest();
            return new Entry(
                    snapshot,
                    manifest.name != null ? manifest.name : snapshot.name(), // a name is optional
                    created(manifest, snapshot),
                    manifest.workflowName,
                    reader.codec().argument(),
                    manifest,
                    null,
                    false);
        } catch (SnapshotStoreException e) {
            return fromStore(snapshot, e.getMessage(), true);
        } catch (SnapshotException | IOException e) {
            return fromStore(snapshot, e.getMessage(), false);
        }
    }

    /** What the store records; what it does not is unknown. */
    private static Entry fromStore(StoredSnapshot snapshot, String problem, boolean storeFailed) {
        return new Entry(
                snapshot,
                snapshot.name(),
                snapshot.created(),
                snapshot.workflow() != null ? snapshot.workflow() : UNKNOWN,
                snapshot.codec() != null ? snapshot.codec() : UNKNOWN,
                null,
                problem,
                storeFailed);
    }

    /** When the manifest says the snapshot was taken; where it says nothing readable, the store's record. */
    private static Instant created(Manifest manifest, StoredSnapshot snapshot) {
        try {
            return Instant.parse(manifest.created);
        } catch (RuntimeException e) {
            return snapshot.created();
        }
    }
}
