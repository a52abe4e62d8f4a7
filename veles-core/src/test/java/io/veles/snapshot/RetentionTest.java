package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.internal.store.AtomicFiles;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/** Retention on a directory of generated snapshots, checked snapshot by snapshot. */
class RetentionTest {
    @TempDir
    Path dir;

    /** Twelve hourly snapshots; snapshot i has metric (7i mod 12) / 100. */
    private void generate() throws Exception {
        LoopWorkflow workflow = new LoopWorkflow(1, 10, -1);
        for (int i = 0; i < 12; i++) {
            writeHourly(workflow, i, (7 * i % 12) / 100.0, dir.resolve("loop_" + i + ".gz"), Codec.GZIP, 1);
        }
        Files.createSymbolicLink(dir.resolve("loop_current.gz"), Path.of("loop_0.gz"));
        SnapshotPruning.pin(dir.resolve("loop_1.gz").toString());
    }

    /** Snapshot loop_{@code hour}, written at 2026-01-01 plus {@code hour} hours, with {@code metric}. */
    private static void writeHourly(LoopWorkflow workflow, int hour, double metric, Path file, Codec codec, int level)
            throws Exception {
        Manifest manifest = Manifest.builder()
                .name("loop_" + hour)
                .created(Instant.parse("2026-01-01T00:00:00Z")
                        .plus(Duration.ofHours(hour))
                        .toString())
                .info("validation_error", metric)
                .build();
        AtomicFiles.write(file, out -> SnapshotWriter.write(workflow, manifest, codec, level, out));
    }

    private Set<Integer> remaining() throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("loop_\\d+\\.gz"))
                    .map(n -> Integer.parseInt(n.replaceAll("\\D", "")))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * A listing reads only headers and manifests, so a snapshot truncated after its manifest looks
     * whole there. Read whole before anything is deleted, the damaged newest and best are kept
     * as not read, and the next whole ones are kept in their places, instead of the damaged ones
     * standing in for them while the whole ones are deleted.
     */
    @Test
    void damagedSnapshotsKeptByARuleAreReplacedByWholeOnes() throws Exception {
        LoopWorkflow workflow = new LoopWorkflow(1, 10, -1);
        for (int i = 0; i < 6; i++) {
            Path file = dir.resolve("loop_" + i); // uncompressed: its manifest reads, whatever follows
            writeHourly(workflow, i, i / 100.0, file, Codec.NONE, 0); // the oldest is the best
            if (i == 0 || i == 5) {
                byte[] whole = Files.readAllBytes(file);
                Files.write(file, Arrays.copyOf(whole, whole.length - 10)); // the trailer's end is lost
            }
        }
        Retention lastAndBest = new Retention(1, null, 1);
        assertThat(keptNumbers(SnapshotPruning.plan(
                        SnapshotStores.open(dir.toString()), lastAndBest, SnapshotPruning.Filter.ALL, false)))
                .as("by their manifests alone the damaged ones look whole")
                .containsExactly(0, 5);

        List<SnapshotPruning.Decision> plan = SnapshotPruning.plan(
                SnapshotStores.open(dir.toString()), lastAndBest, SnapshotPruning.Filter.ALL, true);
        assertThat(keptNumbers(plan)).containsExactly(0, 1, 4, 5);
        for (SnapshotPruning.Decision decision : plan) {
            String name = decision.entry().name();
            if (name.equals("loop_0") || name.equals("loop_5")) {
                assertThat(decision.isSnapshot()).as(name).isFalse();
                assertThat(decision.reason())
                        .isEqualTo("not read as a snapshot, never pruned: " + dir.resolve(name)
                                + " is truncated: its data ends early");
            }
        }
        assertThat(SnapshotPruning.apply(dir.toString(), plan)).isEqualTo(2);
        try (var files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("loop_0", "loop_1", "loop_4", "loop_5");
        }
    }

    /** A library user's mistakes are named: a directory given as a file, a missing argument. */
    @Test
    void misusedArgumentsAreNamed() throws Exception {
        assertThatThrownBy(() -> Snapshots.openFile(dir))
                .isInstanceOf(io.veles.errors.SnapshotException.class)
                .hasMessage(dir + " is a directory, not a snapshot file: Snapshots.open(String) takes a"
                        + " directory's newest snapshot");
        assertThatThrownBy(() -> Snapshots.openFile(null)).hasMessage("file");
        assertThatThrownBy(() -> SnapshotPruning.plan(dir.toString(), null)).hasMessage("retention");
        assertThatThrownBy(() -> io.veles.pickle.RestoreRules.forWorkflow(null)).hasMessage("workflowClass");
        assertThatThrownBy(() -> Snapshots.restore(dir.toString(), LoopWorkflow.class, null, null))
                .hasMessage("rules");
        assertThatThrownBy(() -> Snapshots.restore(
                        dir.toString(), null, io.veles.pickle.RestoreRules.forWorkflow(LoopWorkflow.class), null))
                .hasMessage("workflowClass");
    }

    private static List<Integer> keptNumbers(List<SnapshotPruning.Decision> plan) {
        return plan.stream()
                .filter(SnapshotPruning.Decision::kept)
                .map(d -> Integer.parseInt(d.entry().name().replaceAll("\\D", "")))
                .sorted()
                .toList();
    }

    /** A file that is not a snapshot is not pinned: a pin on it would keep nothing restorable. */
    @Test
    void whatIsNotASnapshotIsNotPinned() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes");
        assertThatThrownBy(() -> SnapshotPruning.pin(notes.toString()))
                .isInstanceOf(io.veles.errors.SnapshotException.class)
                .hasMessageStartingWith("cannot pin notes.txt: ")
                .hasMessageContaining("is not a veles snapshot");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(notes);
        }
    }

    @Test
    void everyPolicyKeepsItsOwnAndTheDryRunIsWhatTheRealRunDeletes() throws Exception {
        generate();
        Retention retention = new Retention(3, Duration.ofHours(6), 2);
        List<SnapshotPruning.Decision> plan = SnapshotPruning.plan(dir.toString(), retention);
        Set<Integer> planned = plan.stream()
                .filter(SnapshotPruning.Decision::kept)
                .map(d -> Integer.parseInt(d.entry().name().replaceAll("\\D", "")))
                .collect(Collectors.toCollection(TreeSet::new));
        // current: 0; pinned: 1; best two metrics: 0 (0.00) and 7 (0.01); newest of each 6 h: 5, 11; last three: 9, 10,
        // 11
        assertThat(planned).containsExactly(0, 1, 5, 7, 9, 10, 11);
        assertThat(remaining()).as("a plan deletes nothing").hasSize(12);
        assertThat(plan.stream()
                        .filter(d -> d.entry().name().equals("loop_1"))
                        .findFirst()
                        .orElseThrow()
                        .reason())
                .isEqualTo("pinned");
        assertThat(plan.stream()
                        .filter(d -> d.entry().name().equals("loop_0"))
                        .findFirst()
                        .orElseThrow()
                        .reason())
                .isEqualTo("current");

        // A copy of the directory holds the same names: the plan is refused there, deleting nothing.
        Path copy = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-copy"));
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
        assertThatThrownBy(() -> SnapshotPruning.apply(copy.toString(), plan))
                .isInstanceOf(io.veles.errors.SnapshotException.class)
                .hasMessageStartingWith("this plan was made for another store (it names " + dir)
                .hasMessageEndingWith("), so none was deleted");
        try (var files = Files.list(copy)) {
            assertThat(files.filter(file -> file.getFileName().toString().matches("loop_\\d+\\.gz")))
                    .hasSize(12);
        }

        assertThat(SnapshotPruning.apply(dir.toString(), plan)).isEqualTo(5);
        assertThat(SnapshotPruning.apply(dir.toString(), plan))
                .as("gone already: none deleted")
                .isZero();
        assertThat(remaining()).isEqualTo(planned);
        assertThat(Files.readSymbolicLink(dir.resolve("loop_current.gz"))).isEqualTo(Path.of("loop_0.gz"));
    }

    /**
     * A directory lists every file in it. What is there and does not read as a snapshot (notes, a
     * gzip file of something else, a damaged snapshot, one a newer veles wrote) is older than
     * every snapshot here, so a weighing by age alone would delete it first.
     */
    @Test
    void whatDoesNotReadAsASnapshotIsNeverDeleted() throws Exception {
        generate();
        Map<String, byte[]> others = new LinkedHashMap<>();
        others.put("README.md", "notes on this run\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write("a compressed log, not a snapshot\n".getBytes(StandardCharsets.UTF_8));
        }
        others.put("train.log.gz", gzip.toByteArray());
        others.put("loop_99.gz", Arrays.copyOf(Files.readAllBytes(dir.resolve("loop_2.gz")), 200));
        byte[] newer = Arrays.copyOf(SnapshotFormat.MAGIC, SnapshotFormat.MAGIC.length + 2);
        newer[newer.length - 1] = 99; // format version 99
        others.put("loop_100", newer);
        for (Map.Entry<String, byte[]> other : others.entrySet()) {
            Path file = Files.write(dir.resolve(other.getKey()), other.getValue());
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        }

        List<SnapshotPruning.Decision> plan = SnapshotPruning.plan(dir.toString(), new Retention(1, null, 0));
        List<SnapshotPruning.Decision> notSnapshots =
                plan.stream().filter(d -> !d.isSnapshot()).toList();
        assertThat(notSnapshots)
                .extracting(d -> d.entry().snapshot().key())
                .containsExactlyInAnyOrderElementsOf(others.keySet());
        assertThat(notSnapshots).allSatisfy(d -> {
            assertThat(d.kept()).isTrue();
            assertThat(d.reason()).startsWith("not read as a snapshot, never pruned: ");
        });

        // current (0), pinned (1) and the newest (11) stay, the other nine go; the damaged loop_99 stays
        assertThat(SnapshotPruning.apply(dir.toString(), plan)).isEqualTo(9);
        assertThat(remaining()).containsExactly(0, 1, 11, 99);
        for (Map.Entry<String, byte[]> other : others.entrySet()) {
            assertThat(dir.resolve(other.getKey())).hasBinaryContent(other.getValue());
        }
    }

    /**
     * Keep-best alone on snapshots that record no metric (a workflow without a decision) would keep
     * none of them: it keeps the newest K instead, and says so; where some record one, only those
     * are ranked.
     */
    @Test
    void keepBestWithoutAnyMetricKeepsTheNewestInsteadOfNone() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<Retention.Candidate> none = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            none.add(new Retention.Candidate("s" + i, start.plus(Duration.ofHours(i)), null, null));
        }
        Map<String, String> kept = new Retention(0, null, 2).kept(none);
        assertThat(kept.keySet()).containsExactlyInAnyOrder("s5", "s4");
        assertThat(kept.get("s5")).isEqualTo("newest 2 (best 2: none records a metric)");

        List<Retention.Candidate> some = new java.util.ArrayList<>(none);
        some.set(1, new Retention.Candidate("s1", start.plus(Duration.ofHours(1)), 0.5, null));
        assertThat(new Retention(0, null, 2).kept(some)).containsOnlyKeys("s1");
    }

    @Test
    void aPolicyMustKeepSomething() {
        assertThatThrownBy(() -> new Retention(0, null, 0)).hasMessageContaining("give at least one");
        // a period whose milliseconds would not fit a long (keep-every Infinity) is refused up front
        assertThatThrownBy(() -> new Retention(0, Duration.ofSeconds(Long.MAX_VALUE), 0))
                .hasMessageContaining("the period must be at most 876600 hours (100 years)");
    }
}
