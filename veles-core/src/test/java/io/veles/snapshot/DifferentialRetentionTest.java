package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.DifferentialSnapshotTest.FrozenWorkflow;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import io.veles.testing.StoreFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Retention never breaks a chain: the bases a kept differential snapshot needs are kept with it,
 * by {@code snapshot prune} and by the snapshotter's own retention, and go once nothing needs them.
 */
class DifferentialRetentionTest {
    @TempDir
    Path dir;

    private SnapshotSettings.Builder settings() {
        return SnapshotSettings.builder()
                .prefix("frozen")
                .directory(dir.toString())
                .compression(Codec.GZIP)
                .compressionLevel(1)
                .incremental(true)
                .fullEvery(4);
    }

    private static FrozenWorkflow restore(Path file) {
        return Snapshots.restore(
                        file.toString(), FrozenWorkflow.class, RestoreRules.forWorkflow(FrozenWorkflow.class), null)
                .workflow();
    }

    private TreeSet<Integer> remaining() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("frozen_\\d+\\.gz"))
                    .map(n -> Integer.parseInt(n.replaceAll("\\D", "")))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Map<String, String> reasons(List<SnapshotPruning.Decision> plan) {
        Map<String, String> reasons = new LinkedHashMap<>();
        plan.forEach(decision -> reasons.put(decision.entry().snapshot().key(), decision.reason()));
        return reasons;
    }

    @Test
    void pruneKeepsTheBasesOfAKeptSnapshotAndLetsThemGoOnceAStandaloneOneFollows(@TempDir Path written)
            throws IOException {
        // frozen_1 standalone, 2..4 differential, 5 standalone; the store gets them one by one.
        new FrozenWorkflow(5, settings().directory(written.toString()).build()).runAndStop();
        for (int number = 1; number <= 4; number++) {
            Files.copy(written.resolve("frozen_" + number + ".gz"), dir.resolve("frozen_" + number + ".gz"));
        }
        Retention lastOne = new Retention(1, null, 0);

        Map<String, String> reasons = reasons(SnapshotPruning.plan(dir.toString(), lastOne));
        assertThat(reasons)
                .containsExactly(
                        Map.entry("frozen_1.gz", "kept: base of frozen_4.gz"),
                        Map.entry("frozen_2.gz", "kept: base of frozen_4.gz"),
                        Map.entry("frozen_3.gz", "kept: base of frozen_4.gz"),
                        Map.entry("frozen_4.gz", "last 1"));
        assertThat(SnapshotPruning.apply(dir.toString(), SnapshotPruning.plan(dir.toString(), lastOne)))
                .isZero();

        // Once a standalone snapshot is the newest, nothing kept needs the old chain any more.
        Files.copy(written.resolve("frozen_5.gz"), dir.resolve("frozen_5.gz"));
        List<SnapshotPruning.Decision> plan = SnapshotPruning.plan(dir.toString(), lastOne);
        assertThat(plan.stream()
                        .filter(SnapshotPruning.Decision::kept)
                        .map(d -> d.entry().snapshot().key()))
                .containsExactly("frozen_5.gz");
        assertThat(SnapshotPruning.apply(dir.toString(), plan)).isEqualTo(4);
        assertThat(remaining()).containsExactly(5);
        assertThat(restore(dir.resolve("frozen_5.gz")).model.count).isEqualTo(5);
    }

    /** A validation error that grows with the model's count: the first snapshot is the best. */
    static final class CountAsError extends Number {
        final DifferentialSnapshotTest.Model model;

        CountAsError(DifferentialSnapshotTest.Model model) {
            this.model = model;
        }

        @Override
        public int intValue() {
            return model.count;
        }

        @Override
        public long longValue() {
            return model.count;
        }

        @Override
        public float floatValue() {
            return model.count;
        }

        @Override
        public double doubleValue() {
            return model.count;
        }

        @Override
        public String toString() {
            return Integer.toString(model.count);
        }
    }

    /**
     * A run storing a snapshot while prune lists the store moves "current" from the snapshot it
     * was built on to one the plan never saw: the snapshot current when prune started keeps its
     * chain, so the new one still restores.
     */
    @Test
    void theSnapshotCurrentWhenPruneStartsKeepsItsBasesWhileTheRunMovesOn(@TempDir Path written) throws IOException {
        runFourAndCopy(written, 3);
        java.util.concurrent.atomic.AtomicBoolean stored = new java.util.concurrent.atomic.AtomicBoolean();
        try (SnapshotStore real = SnapshotStores.open(dir.toString())) {
            SnapshotStore racing = calling(real, method -> {
                if (method.equals("list") && !stored.getAndSet(true)) {
                    storeAndMakeCurrent(written, 4); // built on frozen_1..3
                }
            });
            SnapshotPruning.apply(racing, SnapshotPruning.plan(racing, new Retention(0, null, 1), entry -> true));
        }
        assertThat(stored).isTrue();
        assertThat(remaining()).containsExactly(1, 2, 3, 4);
        assertThat(restore(dir.resolve("frozen_4.gz")).model.count).isEqualTo(4);
    }

    /**
     * Two snapshots stored while prune plans: the first (frozen_3) once prune has read which is
     * current, so it is listed and weighed unprotected; the second (frozen_4, built on it) after
     * the listing. Deleting frozen_3 left the current snapshot unrestorable: the chain of a
     * snapshot made current since the plan is kept too.
     */
    @Test
    void aSnapshotMadeCurrentAfterTheListingKeepsTheBasesThePlanWeighedUnprotected(@TempDir Path written)
            throws IOException {
        runFourAndCopy(written, 2);
        java.util.concurrent.atomic.AtomicInteger stored = new java.util.concurrent.atomic.AtomicInteger(2);
        try (SnapshotStore real = SnapshotStores.open(dir.toString())) {
            SnapshotStore racing = calling(real, method -> {
                if (method.equals("protections") && stored.get() == 2 || method.equals("list") && stored.get() == 3) {
                    storeAndMakeCurrent(written, stored.incrementAndGet()); // built on the others
                }
            });
            SnapshotPruning.apply(racing, SnapshotPruning.plan(racing, new Retention(0, null, 1), entry -> true));
        }
        assertThat(stored.get()).isEqualTo(4);
        assertThat(remaining()).containsExactly(1, 2, 3, 4);
        assertThat(restore(dir.resolve("frozen_4.gz")).model.count).isEqualTo(4);
    }

    /**
     * Runs four snapshots into {@code written} (frozen_1 standalone and the best by its metric,
     * 2..4 differential) and copies the first {@code copied} here, _current pointing at the last.
     */
    private void runFourAndCopy(Path written, int copied) throws IOException {
        FrozenWorkflow run =
                new FrozenWorkflow(4, settings().directory(written.toString()).build());
        run.snapshotter.info().put(SnapshotPruning.METRIC, new CountAsError(run.model));
        run.runAndStop();
        for (int number = 1; number <= copied; number++) {
            Files.copy(written.resolve("frozen_" + number + ".gz"), dir.resolve("frozen_" + number + ".gz"));
        }
        Files.createSymbolicLink(dir.resolve("frozen_current.gz"), Path.of("frozen_" + copied + ".gz"));
    }

    /** What a live run does between prune's calls: stores frozen_{@code number} here and makes it current. */
    private void storeAndMakeCurrent(Path written, int number) throws IOException {
        String next = "frozen_" + number + ".gz";
        Files.copy(written.resolve(next), dir.resolve(next));
        Path current = dir.resolve("frozen_current.gz");
        Files.delete(current);
        Files.createSymbolicLink(current, Path.of(next));
    }

    /** Something done after a store's method returns, named by the method. */
    private interface AfterCall {
        void after(String method) throws IOException;
    }

    /** {@code real}, calling {@code after} once each of its methods has returned. */
    private static SnapshotStore calling(SnapshotStore real, AfterCall after) {
        return (SnapshotStore) java.lang.reflect.Proxy.newProxyInstance(
                SnapshotStore.class.getClassLoader(), new Class<?>[] {SnapshotStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    after.after(method.getName());
                    return result;
                });
    }

    /**
     * A differential snapshot whose own bytes are whole restores through its bases: with its
     * standalone base truncated it cannot stand in for the newest whole snapshot, which prune
     * keeps instead (it once kept frozen_3 and its bases as "last 1" and deleted older_1, the one
     * snapshot left that restores). The damaged chain is kept, never pruned.
     */
    @Test
    void aSnapshotBuiltOnADamagedBaseIsNotKeptInPlaceOfAWholeOne(@TempDir Path written) throws IOException {
        SnapshotSettings.Builder uncompressed =
                settings().directory(written.toString()).compression(Codec.NONE).compressionLevel(0);
        new FrozenWorkflow(1, uncompressed.prefix("older").incremental(false).build()).runAndStop();
        new FrozenWorkflow(3, uncompressed.prefix("frozen").incremental(true).build()).runAndStop();
        for (String name : List.of("older_1", "frozen_1", "frozen_2", "frozen_3")) {
            Files.copy(written.resolve(name), dir.resolve(name)); // no _current links: nothing protected
        }
        byte[] base = Files.readAllBytes(dir.resolve("frozen_1"));
        Files.write(dir.resolve("frozen_1"), java.util.Arrays.copyOf(base, base.length - 10));

        try (SnapshotStore store = SnapshotStores.open(dir.toString())) {
            List<SnapshotPruning.Decision> plan =
                    SnapshotPruning.plan(store, new Retention(1, null, 0), SnapshotPruning.Filter.ALL, true);
            Map<String, String> reasons = reasons(plan);
            assertThat(reasons.get("older_1")).isEqualTo("last 1");
            String truncated = dir.resolve("frozen_1") + " is truncated: its data ends early";
            assertThat(reasons.get("frozen_1")).isEqualTo("not read as a snapshot, never pruned: " + truncated);
            for (String dependent : List.of("frozen_2", "frozen_3")) {
                assertThat(reasons.get(dependent))
                        .isEqualTo("not read as a snapshot, never pruned: its base is damaged: " + truncated);
            }
            assertThat(SnapshotPruning.apply(store, plan)).isZero();
        }
    }

    /**
     * A snapshot the store fails to deliver (an S3 503, a lost connection) may be whole and built
     * on others: prune deletes nothing rather than weigh the rest without it, which would delete
     * its bases. Here frozen_4 (differential on 1..3) fails to open and frozen_5 stands alone.
     */
    @Test
    void pruneDeletesNothingWhenTheStoreFailsToDeliverASnapshot(@TempDir Path written) throws IOException {
        new FrozenWorkflow(5, settings().directory(written.toString()).build()).runAndStop();
        for (int number = 1; number <= 5; number++) {
            Files.copy(written.resolve("frozen_" + number + ".gz"), dir.resolve("frozen_" + number + ".gz"));
        }
        try (SnapshotStore real = SnapshotStores.open(dir.toString())) {
            SnapshotStore failing = StoreFaults.failingOpen(
                    real, snapshot -> snapshot.key().equals("frozen_4.gz"), "connection reset (injected)");
            for (java.util.function.Predicate<SnapshotListing.Entry> scope : List.of(
                    (java.util.function.Predicate<SnapshotListing.Entry>) entry -> true,
                    new SnapshotPruning.Filter("frozen", null)::test)) { // --prefix: its manifest is unread
                assertThatThrownBy(() -> SnapshotPruning.plan(failing, new Retention(1, null, 0), scope))
                        .isInstanceOf(SnapshotException.class)
                        .hasMessage("cannot tell which snapshots frozen_4.gz is built on, so none was deleted:"
                                + " connection reset (injected)");
            }
        }
        assertThat(remaining()).containsExactly(1, 2, 3, 4, 5);
        // Another prefix's file the store fails to deliver (another user's, unreadable) stops no
        // prune of this prefix: a snapshotter's chain stays within its prefix.
        try (SnapshotStore real = SnapshotStores.open(dir.toString())) {
            Files.copy(dir.resolve("frozen_5.gz"), dir.resolve("other_1.gz"));
            SnapshotStore failing = StoreFaults.failingOpen(
                    real, snapshot -> snapshot.key().equals("other_1.gz"), "permission denied (injected)");
            assertThat(SnapshotPruning.apply(
                            failing,
                            SnapshotPruning.plan(
                                    failing, new Retention(1, null, 0), new SnapshotPruning.Filter("frozen", null))))
                    .isEqualTo(4);
            assertThat(remaining()).containsExactly(5);
        }
    }

    /**
     * A differential snapshot whose base the store fails to deliver is reported as the store's
     * failure, naming the base, not as a damaged base.
     */
    @Test
    void aBaseTheStoreFailsToDeliverIsTheStoresFailure() throws IOException {
        new FrozenWorkflow(2, settings().build()).runAndStop(); // frozen_1 standalone, frozen_2 on it
        try (SnapshotStore real = SnapshotStores.open(dir.toString())) {
            SnapshotStore failing = StoreFaults.failingOpen(
                    real, snapshot -> snapshot.key().equals("frozen_1.gz"), "connection reset (injected)");
            StoredSnapshot second = real.list().stream()
                    .filter(snapshot -> snapshot.key().equals("frozen_2.gz"))
                    .findFirst()
                    .orElseThrow();
            try (io.veles.snapshot.file.SnapshotReader reader = Snapshots.open(failing, second, "frozen_2.gz", null)) {
                assertThatThrownBy(() -> Snapshots.restore(reader, FrozenWorkflow.class, List.of()))
                        .isInstanceOf(io.veles.errors.SnapshotStoreException.class)
                        .hasMessage("frozen_2.gz cannot be read: its base frozen_1.gz cannot be read:"
                                + " connection reset (injected)");
            }
        }
    }

    /**
     * A table's rows are weighed without being read, and a kept differential row's bases are
     * found from its header. When that header cannot be read (here a row no veles wrote; a lost
     * connection or a newer veles's row alike), prune deletes nothing rather than the bases.
     */
    @Test
    void pruneDeletesNothingWhenAKeptRowsBasesCannotBeTold() throws Exception {
        Path database = dir.resolve("team.db");
        String odbc = "DRIVER={SQLite3};DATABASE=" + database;
        new FrozenWorkflow(3, settings().odbc(odbc).table("veles").build()).runAndStop();
        String store = "odbc://" + odbc + "&veles";
        assertThat(SnapshotListing.list(store)).hasSize(3);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                PreparedStatement damage = connection.prepareStatement("UPDATE veles SET data = ? WHERE name = ?")) {
            damage.setBytes(1, "not a snapshot".getBytes(StandardCharsets.US_ASCII));
            damage.setString(2, "frozen_3");
            assertThat(damage.executeUpdate()).isEqualTo(1);
        }

        assertThatThrownBy(() -> SnapshotPruning.plan(store, new Retention(1, null, 0)))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("cannot tell which snapshots frozen_3 is built on, so none was deleted: ");
        try (var opened = SnapshotStores.open(store)) {
            assertThat(opened.list())
                    .extracting(StoredSnapshot::name)
                    .containsExactlyInAnyOrder("frozen_1", "frozen_2", "frozen_3");
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void theSnapshottersOwnRetentionLeavesOnlySnapshotsThatRestore(boolean async) throws IOException {
        new FrozenWorkflow(9, settings().async(async).keepLast(2).build()).runAndStop();
        // 9 stands alone; 8 needs 7, 6 and 5; 1..4 are needed by nothing kept.
        assertThat(remaining()).containsExactly(5, 6, 7, 8, 9);
        for (int number : remaining()) {
            assertThat(restore(dir.resolve("frozen_" + number + ".gz")).model.count)
                    .isEqualTo(number);
        }
    }

    @Test
    void pinningADifferentialSnapshotPinsItsChainAndUnpinningItLeavesTheChainPinned() throws IOException {
        new FrozenWorkflow(3, settings().build()).runAndStop();
        List<String> pinned = SnapshotPruning.pin(dir.resolve("frozen_3.gz").toString());
        assertThat(pinned)
                .containsExactly(
                        dir.resolve("frozen_3.gz").toString(),
                        dir.resolve("frozen_2.gz").toString(),
                        dir.resolve("frozen_1.gz").toString());
        try (var store = SnapshotStores.open(dir.toString())) {
            assertThat(store.protections())
                    .containsEntry("frozen_1.gz", "pinned")
                    .containsEntry("frozen_2.gz", "pinned");
        }
        assertThat(SnapshotPruning.unpin(dir.resolve("frozen_3.gz").toString())).isTrue();
        try (var store = SnapshotStores.open(dir.toString())) {
            assertThat(store.protections())
                    .containsEntry("frozen_1.gz", "pinned")
                    .containsEntry("frozen_2.gz", "pinned")
                    .doesNotContainEntry("frozen_3.gz", "pinned");
        }
    }
    /**
     * A differential snapshot whose chain has lost its first snapshot cannot be restored: pinning
     * it pins what is there and says so, rather than reporting a pin that cannot keep it restorable.
     */
    @Test
    void pinningADifferentialSnapshotWhoseBaseIsMissingPinsTheRestAndSaysSo() throws IOException {
        new FrozenWorkflow(3, settings().build()).runAndStop();
        java.nio.file.Files.delete(dir.resolve("frozen_1.gz"));
        assertThatThrownBy(() -> SnapshotPruning.pin(dir.resolve("frozen_3.gz").toString()))
                .isInstanceOf(io.veles.errors.SnapshotException.class)
                .hasMessage("pinned frozen_3.gz, but frozen_1.gz, a snapshot it is built on, is missing:"
                        + " it cannot be restored until that is back");
        try (var store = SnapshotStores.open(dir.toString())) {
            assertThat(store.protections())
                    .containsEntry("frozen_2.gz", "pinned")
                    .containsEntry("frozen_3.gz", "pinned");
        }
    }
}
