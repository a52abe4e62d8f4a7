package io.veles.snapshot.store;

import java.io.Closeable;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where snapshots live: a directory ({@code DirectoryStore}), a database table
 * ({@code TableStore}) or an S3-compatible bucket ({@code ObjectStore}). Which one a location
 * names is decided in one place, {@code SnapshotStores.open}. Listing, pruning, pinning,
 * conversion, verification and restore are written once, against this interface.
 *
 * <p>Promises every store keeps:
 * <ul>
 *   <li>{@link #write} is all or nothing: a snapshot is visible (listed, openable) only once it is
 *       complete and durable, and a failed or killed write leaves nothing that lists;</li>
 *   <li>a stored snapshot is never replaced by another: a taken name gets a distinct one;</li>
 *   <li>the pointer to a prefix's newest snapshot ({@link #current}) moves only after that
 *       snapshot is complete, so it never names a missing one;</li>
 *   <li>{@link #describe()} and {@link StoredSnapshot#location()} never hold a password or a
 *       credential.</li>
 * </ul>
 * Failures are {@link io.veles.errors.SnapshotException}s with a one-line message naming the
 * store and the cause.
 */
public interface SnapshotStore extends Closeable {
    /** The {@link #protections} reason of a pinned snapshot. */
    String PINNED = "pinned";
    /** The {@link #protections} reason of a snapshot a newest-pointer names. */
    String CURRENT = "current";

    /** How a user names this store (a path, an {@code odbc://} or {@code s3://} location), without secrets. */
    String describe();

    /** The snapshots held here, oldest first (by creation, then name); pointers and markers are not snapshots. */
    List<StoredSnapshot> list();

    /**
     * The snapshot of this store with {@code key}, if it holds one, whatever the address it was
     * opened by selects (an {@code odbc://} row address lists that row only): where the bases of
     * a differential snapshot are found. By default, one of {@link #list()}: the one of that key,
     * else the only one of its file name ({@link #sameFile}).
     */
    default Optional<StoredSnapshot> find(String key) {
        List<StoredSnapshot> listed = list();
        Optional<StoredSnapshot> exact =
                listed.stream().filter(stored -> stored.key().equals(key)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        List<StoredSnapshot> named =
                listed.stream().filter(stored -> sameFile(stored.key(), key)).toList();
        return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
    }

    /**
     * Whether this store still holds the snapshot of {@code key}: asked of each file of a
     * differential snapshot's chain before one is written on it. By default {@link #find}; stores
     * that can ask for one key without listing all do.
     */
    default boolean holds(String key) {
        return find(key).isPresent();
    }

    /**
     * Whether two keys name the same file in different places. A chain names its bases by the
     * keys of the store it was written to, and an object's key holds its prefix: a prefix copied
     * with {@code aws s3 sync}, or downloaded into a directory, holds its bases under other keys
     * and the same file names.
     */
    static boolean sameFile(String key, String other) {
        return key.substring(key.lastIndexOf('/') + 1).equals(other.substring(other.lastIndexOf('/') + 1));
    }

    /** Reads one snapshot's bytes, as stored (compressed). */
    InputStream open(StoredSnapshot snapshot);

    /**
     * {@code wanted}, or, where its name is taken, the same with the distinct suffix {@link #write}
     * would give it now: a name is decided before the snapshot's manifest is written. A racing
     * writer is still caught by {@link #write}, which never replaces. Stores that never refuse a
     * name (a table adds rows) return {@code wanted}.
     */
    default NewSnapshot freeName(NewSnapshot wanted) {
        return wanted;
    }

    /**
     * How {@link StoredSnapshot#location()} will name {@code snapshot} once written under its
     * name: for messages about a snapshot being written. By default {@code <describe()>/<name><ext>}.
     */
    default String locationOf(NewSnapshot snapshot) {
        return describe() + "/" + snapshot.name() + snapshot.codec().extension();
    }

    /**
     * Stores one snapshot whose bytes {@code body} writes, all or nothing, under
     * {@code snapshot.name()} or, where that is taken, a distinct name; then moves the prefix's
     * {@link #current} pointer to it. Returns the handle of what was stored.
     */
    StoredSnapshot write(NewSnapshot snapshot, SnapshotBody body);

    /**
     * Stores a copy of a snapshot taken before ({@code snapshot convert}), as {@link #write}, but
     * filed as of when it was taken: a copy of an older snapshot must not become what a resume
     * reads. A directory or an object store does not point {@code _current} at it; a table files
     * the row at the time the snapshot was taken. By default, as {@link #write}.
     */
    default StoredSnapshot writeCopy(NewSnapshot snapshot, SnapshotBody body) {
        return write(snapshot, body);
    }

    /** Deletes one snapshot (not its pin: {@link #protections} keeps a pinned one from pruning). */
    void delete(StoredSnapshot snapshot);

    /** Pins a snapshot: prune never deletes it. */
    void pin(StoredSnapshot snapshot);

    /** Unpins a snapshot; false if it was not pinned. */
    boolean unpin(StoredSnapshot snapshot);

    boolean isPinned(StoredSnapshot snapshot);

    /**
     * The snapshots prune must never delete, by {@link StoredSnapshot#key()}, each with why:
     * {@code pinned}, or {@code current} (what a resume from this store takes).
     */
    Map<String, String> protections();

    /** The snapshot the prefix's newest-pointer names, if it has one. */
    Optional<StoredSnapshot> current(String prefix);

    /**
     * The snapshots run {@code runId} (with {@code logId}, or any if null) wrote here, oldest
     * first, where the store records which run wrote each (a table's id and log_id columns); empty
     * where it does not, and a writer's retention then weighs only what it wrote itself.
     */
    default Optional<List<StoredSnapshot>> snapshotsOfRun(String runId, String logId) {
        return Optional.empty();
    }

    /**
     * Lets one live run at a time write {@code prefix} here, or refuses in one line naming the run
     * that holds it ({@link io.veles.errors.SnapshotLockedException}). Stores where runs cannot collide (a table's
     * rows carry their run's id) return a lock that holds nothing. Closing the lock releases it.
     */
    WriterLock lockPrefix(String prefix, String runId);

    /**
     * As {@link #lockPrefix(String, String)}, for a run writing {@code codec}: a store may also
     * refuse what would keep that run from marking its newest snapshot. By default, the same.
     */
    default WriterLock lockPrefix(String prefix, String runId, io.veles.snapshot.codec.Codec codec) {
        return lockPrefix(prefix, runId);
    }

    /**
     * Reclaims what writers killed mid-write left behind, invisible but stored, begun more than
     * {@code olderThan} ago (an object store's incomplete multipart uploads); returns how many.
     * Stores whose writers leave nothing a later writer does not clean up themselves return 0.
     */
    default int reclaimAbandonedWrites(java.time.Duration olderThan) {
        return 0;
    }

    /** Releases connections and clients; a store holds no lock of its own once closed. */
    @Override
    void close();

    /** A held {@link #lockPrefix} lock. */
    interface WriterLock extends AutoCloseable {
        @Override
        void close();
    }
}
