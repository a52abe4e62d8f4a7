/**
 * What can go wrong with a snapshot, as types a caller can act on:
 * {@link io.veles.errors.SnapshotException} and its subtypes for corrupt, incompatible and
 * unreachable snapshots, and a held lock. Every message is one line.
 */
package io.veles.errors;
