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
 * Failures are {@link io.veles.snapshot.SnapshotException}s with a one-line message naming the
 * store and the cause.
 */
public interface SnapshotStore extends Closeable {

    /** How a user names this store (a path, an {@code odbc://} or {@code s3://} location), without secrets. */
    String describe();

    /** The snapshots held here, oldest first (by creation, then name); pointers and markers are not snapshots. */
    List<StoredSnapshot> list();

    /** Reads one snapshot's bytes, as stored (compressed). */
    InputStream open(StoredSnapshot snapshot);

    /**
     * Stores one snapshot whose bytes {@code body} writes, all or nothing, under
     * {@code snapshot.name()} or, where that is taken, a distinct name; then moves the prefix's
     * {@link #current} pointer to it. Returns the handle of what was stored.
     */
    StoredSnapshot write(NewSnapshot snapshot, SnapshotBody body);

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
     * Lets one live run at a time write {@code prefix} here, or refuses in one line naming the run
     * that holds it ({@link SnapshotLockedException}). Stores where runs cannot collide (a table's
     * rows carry their run's id) return a lock that holds nothing. Closing the lock releases it.
     */
    WriterLock lockPrefix(String prefix, String runId);

    /** Releases connections and clients; a store holds no lock of its own once closed. */
    @Override
    void close();

    /** A held {@link #lockPrefix} lock. */
    interface WriterLock extends AutoCloseable {
        @Override
        void close();
    }
}
