package io.veles.snapshot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotLockedException;
import io.veles.snapshot.codec.Codec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The promises of {@link SnapshotStore}, checked against one store: write, list, open, delete,
 * pin, unpin, protections, current, never-replace and all-or-nothing writes. A store gets them
 * all with one subclass that says how to reach a fresh, empty location of it; the same tests run
 * against a directory, a table on each database, and any store added later.
 */
public abstract class SnapshotStoreContract {
    private final String runId = UUID.randomUUID().toString();
    private final Random random = new Random(15);
    private Instant clock = Instant.parse("2026-12-01T10:00:00Z");

    /**
     * A store over this test's location, empty at the first call of a test; each call gives a new
     * instance over the same location, as another process would open it.
     */
    protected abstract SnapshotStore openStore();

    /** Whether a second live run is refused the prefix one holds ({@link SnapshotStore#lockPrefix}). */
    protected abstract boolean locksPrefixes();

    /** Removes what the test left where the store keeps it, if a temporary directory does not. */
    @AfterEach
    protected void cleanUp() {}

    /** A snapshot of {@code prefix}, taken a second after the one before. */
    private NewSnapshot next(String prefix, String suffix) {
        clock = clock.plusSeconds(1);
        return new NewSnapshot(prefix, suffix, clock, runId, runId, "contract", Codec.GZIP);
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(SnapshotStore store, StoredSnapshot snapshot) throws IOException {
        try (InputStream in = store.open(snapshot)) {
            return in.readAllBytes();
        }
    }

    private static List<String> keys(List<StoredSnapshot> snapshots) {
        return snapshots.stream().map(StoredSnapshot::key).toList();
    }

    @Test
    void aWrittenSnapshotListsAndOpensToItsBytes() throws IOException {
        byte[] bytes = bytes(300_000);
        try (SnapshotStore store = openStore()) {
            StoredSnapshot written = store.write(next("w", "1"), out -> out.write(bytes));
            assertThat(written.name()).isEqualTo("w_1");
            assertThat(written.bytes()).isEqualTo(bytes.length);
            assertThat(read(store, written)).isEqualTo(bytes);
        }
        try (SnapshotStore other = openStore()) { // handles, not text: another instance finds it from the listing
            List<StoredSnapshot> listed = other.list();
            assertThat(listed).extracting(StoredSnapshot::name).containsExactly("w_1");
            assertThat(listed.get(0).bytes()).isEqualTo(bytes.length);
            assertThat(read(other, listed.get(0))).isEqualTo(bytes);
        }
    }

    @Test
    void listingIsOldestFirst() {
        try (SnapshotStore store = openStore()) {
            StoredSnapshot first = store.write(next("w", "1"), out -> out.write(1));
            StoredSnapshot second = store.write(next("w", "2"), out -> out.write(2));
            StoredSnapshot third = store.write(next("v", "1"), out -> out.write(3));
            assertThat(keys(store.list())).containsExactly(first.key(), second.key(), third.key());
        }
    }

    @Test
    void aSnapshotIsNeverReplaced() throws IOException {
        byte[] firstBytes = bytes(1000);
        byte[] secondBytes = bytes(1000);
        try (SnapshotStore store = openStore()) {
            StoredSnapshot first = store.write(next("w", "1"), out -> out.write(firstBytes));
            StoredSnapshot second = store.write(next("w", "1"), out -> out.write(secondBytes));
            assertThat(second.key()).isNotEqualTo(first.key());
            assertThat(keys(store.list())).containsExactlyInAnyOrder(first.key(), second.key());
            assertThat(read(store, first)).isEqualTo(firstBytes);
            assertThat(read(store, second)).isEqualTo(secondBytes);
        }
    }

    @Test
    void aFreeNameIsOneNoSnapshotHas() {
        try (SnapshotStore store = openStore()) {
            NewSnapshot wanted = next("w", "1");
            assertThat(store.freeName(wanted)).isEqualTo(wanted);
            StoredSnapshot first = store.write(wanted, out -> out.write(1));
            NewSnapshot again = store.freeName(next("w", "1"));
            StoredSnapshot second = store.write(again, out -> out.write(2));
            assertThat(second.location()).isEqualTo(store.locationOf(again));
            assertThat(second.key()).isNotEqualTo(first.key());
            assertThat(store.list()).hasSize(2);
        }
    }

    @Test
    void aFailedWriteLeavesNothingAndMovesNoPointer() {
        try (SnapshotStore store = openStore()) {
            StoredSnapshot good = store.write(next("w", "1"), out -> out.write(bytes(5000)));
            byte[] half = bytes(200_000);
            assertThatThrownBy(() -> store.write(next("w", "2"), out -> {
                        out.write(half);
                        throw new IOException("the writer failed half way");
                    }))
                    .hasMessageContaining("the writer failed half way");
            assertThatThrownBy(() -> store.write(next("w", "3"), out -> {
                        out.write(half);
                        throw new IllegalStateException("a bug in the writer");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(keys(store.list())).containsExactly(good.key());
            assertThat(store.current("w")).map(StoredSnapshot::key).contains(good.key());
        }
        try (SnapshotStore other = openStore()) {
            assertThat(keys(other.list())).hasSize(1);
        }
    }

    @Test
    void aFailedFirstWriteLeavesAnEmptyStore() {
        try (SnapshotStore store = openStore()) {
            assertThatThrownBy(() -> store.write(next("w", "1"), out -> {
                        out.write(bytes(10));
                        throw new IOException("no");
                    }))
                    .hasMessageContaining("no");
            assertThat(store.current("w")).isEmpty();
        }
        try (SnapshotStore other = openStore()) {
            List<StoredSnapshot> left;
            try {
                left = other.list();
            } catch (io.veles.errors.SnapshotException nothingThere) {
                return; // a store that was never written may not exist at all
            }
            assertThat(left).isEmpty();
        }
    }

    @Test
    void currentNamesEachPrefixsNewest() {
        try (SnapshotStore store = openStore()) {
            store.write(next("a", "1"), out -> out.write(1));
            StoredSnapshot b = store.write(next("b", "1"), out -> out.write(2));
            StoredSnapshot a = store.write(next("a", "2"), out -> out.write(3));
            assertThat(store.current("a")).map(StoredSnapshot::key).contains(a.key());
            assertThat(store.current("b")).map(StoredSnapshot::key).contains(b.key());
            assertThat(store.current("c")).isEmpty();
            Map<String, String> protections = store.protections();
            assertThat(protections).containsEntry(a.key(), SnapshotStore.CURRENT);
        }
    }

    @Test
    void pinsProtectAndUnpinReleases() {
        try (SnapshotStore store = openStore()) {
            StoredSnapshot old = store.write(next("w", "1"), out -> out.write(1));
            StoredSnapshot newest = store.write(next("w", "2"), out -> out.write(2));
            assertThat(store.isPinned(old)).isFalse();
            assertThat(store.protections()).doesNotContainKey(old.key());
            store.pin(old);
            store.pin(old); // twice is harmless
            assertThat(store.isPinned(old)).isTrue();
            assertThat(store.isPinned(newest)).isFalse();
            try (SnapshotStore other = openStore()) {
                StoredSnapshot listed = other.list().stream()
                        .filter(s -> s.key().equals(old.key()))
                        .findFirst()
                        .orElseThrow();
                assertThat(other.isPinned(listed)).isTrue();
                assertThat(other.protections()).containsEntry(old.key(), SnapshotStore.PINNED);
            }
            assertThat(store.unpin(old)).isTrue();
            assertThat(store.unpin(old)).isFalse();
            assertThat(store.isPinned(old)).isFalse();
            assertThat(store.protections()).doesNotContainKey(old.key());
        }
    }

    @Test
    void deleteRemovesOneSnapshot() throws IOException {
        byte[] kept = bytes(100);
        try (SnapshotStore store = openStore()) {
            StoredSnapshot doomed = store.write(next("w", "1"), out -> out.write(bytes(100)));
            StoredSnapshot stays = store.write(next("w", "2"), out -> out.write(kept));
            store.delete(doomed);
            assertThat(keys(store.list())).containsExactly(stays.key());
            assertThat(read(store, stays)).isEqualTo(kept);
        }
    }

    @Test
    void oneLiveRunWritesAPrefixWhereRunsCanCollide() {
        try (SnapshotStore store = openStore();
                SnapshotStore other = openStore()) {
            try (SnapshotStore.WriterLock held = store.lockPrefix("w", "run-1")) {
                if (locksPrefixes()) {
                    assertThatThrownBy(() -> other.lockPrefix("w", "run-2"))
                            .isInstanceOf(SnapshotLockedException.class)
                            .hasMessageContaining("run-1");
                    other.lockPrefix("v", "run-2").close(); // another prefix is free
                } else {
                    other.lockPrefix("w", "run-2").close();
                }
            }
            other.lockPrefix("w", "run-2").close(); // released
        }
    }

    @Test
    void locationsNameTheStore() {
        try (SnapshotStore store = openStore()) {
            NewSnapshot snapshot = next("w", "1");
            StoredSnapshot written = store.write(snapshot, out -> out.write(1));
            assertThat(written.location()).isEqualTo(store.locationOf(snapshot));
            assertThat(written.location()).contains("w_1");
            assertThat(store.describe()).isNotBlank();
        }
    }
}
