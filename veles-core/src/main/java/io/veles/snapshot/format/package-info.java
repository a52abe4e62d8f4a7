/**
 * The snapshot file format's vocabulary: its version and flags ({@link io.veles.snapshot.format.SnapshotFormat}),
 * the {@link io.veles.snapshot.format.Manifest} and what it describes, signing keys, and the code
 * a snapshot may carry. DESIGN.md gives the byte layout.
 */
package io.veles.snapshot.format;
