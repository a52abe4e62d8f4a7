/**
 * The machinery of differential snapshots: cutting a byte stream into content-defined blocks and
 * naming each block by its content, so that a block unchanged since the last snapshot is found
 * again wherever it moved. The file layout is {@code io.veles.snapshot.format.SnapshotFormat}'s.
 */
package io.veles.internal.delta;
