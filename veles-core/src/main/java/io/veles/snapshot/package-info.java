/**
 * Taking and managing snapshots: the {@link io.veles.snapshot.Snapshotter} unit and its
 * {@link io.veles.snapshot.SnapshotSettings}, restoring ({@link io.veles.snapshot.Snapshots}),
 * retention, pruning, listing, conversion and diff, and {@link io.veles.snapshot.SnapshotStores},
 * which resolves a location (a path, {@code odbc://} or {@code s3://}) into a store.
 */
package io.veles.snapshot;
