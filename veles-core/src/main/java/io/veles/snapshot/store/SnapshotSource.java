package io.veles.snapshot.store;

import java.util.List;
import java.util.function.Supplier;

/**
 * What a user's snapshot source ({@code -w}, and what inspect, verify, diff, convert and pin take)
 * names, resolved by {@link io.veles.snapshot.SnapshotStores#source}: a store, and either one snapshot in it (a
 * file, a table row, an object) or the store as a whole, which means its newest snapshot, or for a
 * resume the newest of the workflow being run. Closing it closes the store.
 */
public final class SnapshotSource implements AutoCloseable {
    private final SnapshotStore store;
    private final String name;
    private final StoredSnapshot one;
    private final Supplier<StoredSnapshot> newest;
    private final Supplier<Candidates> currents;

    private SnapshotSource(
            SnapshotStore store,
            String name,
            StoredSnapshot one,
            Supplier<StoredSnapshot> newest,
            Supplier<Candidates> currents) {
        this.store = store;
        this.name = name;
        this.one = one;
        this.newest = newest;
        this.currents = currents;
    }

    /** A source that names {@code snapshot} of {@code store}; {@code name} is how readers call it. */
    public static SnapshotSource of(SnapshotStore store, StoredSnapshot snapshot, String name) {
        return new SnapshotSource(store, name, snapshot, null, null);
    }

    /**
     * A source that names a whole store: {@code newest} gives its newest snapshot (or refuses in
     * one line), {@code currents} its newest-pointers, newest first. Each is asked only when needed.
     */
    public static SnapshotSource ofStore(
            SnapshotStore store, Supplier<StoredSnapshot> newest, Supplier<Candidates> currents) {
        return new SnapshotSource(store, null, null, newest, currents);
    }

    public SnapshotStore store() {
        return store;
    }

    /** True when the source names one snapshot; false when it names a store. */
    public boolean namesOne() {
        return one != null;
    }

    /**
     * The snapshot meant where one is wanted (open, inspect, verify, pin): the one named, or a
     * store's newest.
     */
    public StoredSnapshot snapshot() {
        return one != null ? one : newest.get();
    }

    /** How a reader of {@link #snapshot()} names it: the path as given for a file, else its location. */
    public String nameOf(StoredSnapshot snapshot) {
        return name != null ? name : snapshot.location();
    }

    /**
     * What a resume may take, newest first: the one snapshot named, or each of a store's
     * newest-pointers (a broken one with its problem).
     */
    public Candidates candidates() {
        return one != null ? new Candidates(List.of(new Candidate(one, null)), null) : currents.get();
    }

    @Override
    public void close() {
        store.close();
    }

    /**
     * A snapshot a source may mean, or why a pointer names none.
     *
     * @param snapshot the snapshot, or null when {@code problem} says why there is none
     * @param problem  e.g. "link b_current.gz points at missing b_1.gz", or null
     */
    public record Candidate(StoredSnapshot snapshot, String problem) {}

    /**
     * A source's candidates, newest first, and what to say when there are none.
     *
     * @param none e.g. "snaps is a directory with no snapshot (no *_current link)"
     */
    public record Candidates(List<Candidate> list, String none) {}
}
