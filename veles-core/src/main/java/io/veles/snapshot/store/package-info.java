/**
 * Where snapshots are kept: the {@link io.veles.snapshot.store.SnapshotStore} interface and its
 * directory and database-table implementations. Every store publishes a snapshot atomically.
 */
package io.veles.snapshot.store;
