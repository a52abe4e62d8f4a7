/** Reading and writing one snapshot file: {@link io.veles.snapshot.file.SnapshotReader} checks and restores, {@link io.veles.snapshot.file.SnapshotWriter} writes. */
package io.veles.snapshot.file;
