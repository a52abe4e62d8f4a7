package io.veles.snapshot.store;

import java.time.Instant;

/**
 * One snapshot held by a {@link SnapshotStore}: a typed handle that the store which listed or wrote
 * it can open, delete and pin again, without parsing text.
 *
 * @param key      what tells it apart within its store: a file name, an object key, a row's key;
 *                 the key {@link SnapshotStore#protections()} uses
 * @param name     the snapshot's name ({@code <prefix>_<suffix>}, without the codec's extension)
 * @param created  when it was written (the store's record of it; a manifest may say more exactly)
 * @param bytes    its stored size
 * @param workflow the workflow's name where the store records it without reading the snapshot,
 *                 else null
 * @param codec    the codec's argument ({@code gz}, {@code zst}…) where the store records it, else null
 * @param location how a user names it to restore, verify or inspect it; never holds a password or
 *                 a credential, so it may be printed and logged
 */
public record StoredSnapshot(
        String key, String name, Instant created, long bytes, String workflow, String codec, String location) {
    @Override
    public String toString() {
        return location;
    }
}
