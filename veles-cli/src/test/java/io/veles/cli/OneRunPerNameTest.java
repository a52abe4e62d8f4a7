package io.veles.cli;

import static io.veles.cli.VelesProcess.concat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.internal.store.Host;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One snapshot name, one run, with real runs as a user starts them: two runs into one directory,
 * a run resumed from an early snapshot, a killed run, and retention and prune beside other
 * prefixes, codecs and runs. Before and after each, every earlier file is byte for byte as it
 * was unless its own run's retention removed it.
 */
@Tag("slow")
class OneRunPerNameTest {
    /** Long enough that a second run starts while the first still trains. */
    private static final String[] LONG_WINE = {"decision.max_epochs=200", "decision.fail_iterations=1000"};

    @TempDir
    Path dir;

    @Test
    void aSecondRunIntoTheSameDirectoryRefusesAtStartNamingTheFirstAndTouchesNothing() throws Exception {
        Path snaps = dir.resolve("snaps");
        VelesProcess first = VelesProcess.start(
                dir,
                concat(
                        new String[] {"run", "wine", "--snapshot-dir", "snaps", "--result-file", "first.json"},
                        LONG_WINE));
        waitForSnapshots(first, snaps, 3);
        Map<String, byte[]> before = files(snaps);
        String firstId = runId(first);

        VelesProcess second = VelesProcess.run(
                dir,
                concat(
                        new String[] {"run", "wine", "--snapshot-dir", "snaps", "--result-file", "second.json"},
                        LONG_WINE));
        assertThat(first.isAlive())
                .as("the first run must still be running for this test to mean anything")
                .isTrue();
        assertThat(second.exitCode()).as(second.stderr()).isEqualTo(1);
        assertThat(second.stderr().lines().filter(line -> line.startsWith("veles: error:")))
                .containsExactly("veles: error: snapshot prefix 'wine' in snaps is in use by run " + firstId + ", pid "
                        + first.pid() + " on host " + Host.name()
                        + ": wait for that run to end, or give another --snapshot-dir or --snapshot-prefix");
        assertThat(second.stderr()).doesNotContain("snapshot snaps/");
        assertThat(dir.resolve("second.json")).doesNotExist();

        first.waitFor(300);
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        Map<String, byte[]> after = files(snaps);
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        for (String name : after.keySet()) {
            assertThat(manifestId(snaps.resolve(name)))
                    .as("%s was written by the first run", name)
                    .isEqualTo(firstId);
        }
        JsonNode result = new ObjectMapper().readTree(dir.resolve("first.json").toFile());
        assertThat(manifestId(dir.resolve(result.get("snapshot").asText()))).isEqualTo(firstId);
    }

    @Test
    void aKilledRunsLockNeverBlocksTheNextRun() throws Exception {
        Path snaps = dir.resolve("snaps");
        VelesProcess killed =
                VelesProcess.start(dir, concat(new String[] {"run", "wine", "--snapshot-dir", "snaps"}, LONG_WINE));
        waitForSnapshots(killed, snaps, 2);
        Path lock = snaps.resolve(".wine.lock");
        assertThat(Files.readString(lock)).contains("pid " + killed.pid() + " ");
        killed.kill(); // SIGKILL: no hook, no finally; the lock file stays behind
        Map<String, byte[]> before = files(snaps);
        assertThat(Files.readString(lock)).as("a stale lock file is left").contains("pid " + killed.pid() + " ");

        VelesProcess next = VelesProcess.run(dir, "run", "wine", "decision.max_epochs=3", "--snapshot-dir", "snaps");
        assertThat(next.exitCode()).as(next.stderr()).isZero();
        assertThat(Files.readString(lock)).contains("run " + runId(next) + ", pid " + next.pid() + " ");
        Map<String, byte[]> after = files(snaps);
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        assertThat(after).hasSize(before.size() + 3);
    }

    /** As a user would: both runs write into the default directory, ./snapshots. */
    @Test
    void aResumeFromAnEarlySnapshotWritesDistinctNamesAndLeavesTheLaterOnesByteForByte() throws Exception {
        Path snaps = dir.resolve("snapshots");
        VelesProcess original =
                VelesProcess.run(dir, "run", "wine", "decision.max_epochs=28", "decision.fail_iterations=1000");
        assertThat(original.exitCode()).as(original.stderr()).isZero();
        Map<String, byte[]> before = files(snaps);
        assertThat(before).hasSize(28);
        String early = before.keySet().stream()
                .filter(name -> name.startsWith("wine_3_"))
                .findFirst()
                .orElseThrow();

        VelesProcess resumed =
                VelesProcess.run(dir, "run", "wine", "-w", "snapshots/" + early, "--result-file", "resumed.json");
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        JsonNode result =
                new ObjectMapper().readTree(dir.resolve("resumed.json").toFile());
        String resumedId = result.get("id").asText();
        String discriminator = resumedId.replace("-", "").substring(0, 8);

        Map<String, byte[]> after = files(snaps);
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        List<String> written = after.keySet().stream()
                .filter(name -> !before.containsKey(name))
                .collect(Collectors.toList());
        assertThat(written).hasSize(25).allMatch(name -> name.endsWith("+" + discriminator + ".gz"));
        for (String name : written) {
            String taken = name.replace("+" + discriminator, "");
            assertThat(before).as("%s takes the place of no file", name).containsKey(taken);
            assertThat(resumed.stderr())
                    .contains("snapshot name " + taken + " is taken in snapshots by an earlier snapshot,"
                            + " which stays: this one is snapshots/" + name);
            assertThat(manifestId(snaps.resolve(name))).isEqualTo(resumedId);
        }
        assertThat(result.get("snapshot").asText())
                .isEqualTo(snaps.getFileName()
                        .resolve(Files.readSymbolicLink(snaps.resolve("wine_current.gz")))
                        .toString())
                .endsWith("+" + discriminator + ".gz");
    }

    @Test
    void retentionBesideOtherPrefixesCodecsAndRunsDeletesOnlyItsOwn() throws Exception {
        Path snaps = dir.resolve("snaps");
        run("run", "walk", "walk.walkers=1000", "walk.iterations=3", "--snapshot-dir", "snaps");
        run("run", "wine", "decision.max_epochs=4", "--snapshot-dir", "snaps", "--compression", "xz");
        run("run", "wine", "decision.max_epochs=4", "--snapshot-dir", "snaps");
        Map<String, byte[]> foreign = files(snaps);
        assertThat(foreign).hasSize(11);

        VelesProcess pruning = VelesProcess.run(
                dir,
                "run",
                "wine",
                "decision.max_epochs=7",
                "--snapshot-dir",
                "snaps",
                "snapshotter.keep_last=2",
                "--result-file",
                "pruning.json");
        assertThat(pruning.exitCode()).as(pruning.stderr()).isZero();
        String discriminator = new ObjectMapper()
                .readTree(dir.resolve("pruning.json").toFile())
                .get("id")
                .asText()
                .replace("-", "")
                .substring(0, 8);
        Map<String, byte[]> after = files(snaps);
        foreign.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        List<String> own = after.keySet().stream()
                .filter(name -> !foreign.containsKey(name))
                .collect(Collectors.toList());
        // Epochs 1-4 took names of the earlier gz run (+discriminator); 5-7 were free; the last two stay.
        assertThat(own)
                .hasSize(2)
                .allMatch(name -> name.startsWith("wine_6_") || name.startsWith("wine_7_"))
                .noneMatch(name -> name.contains("+"));
        assertThat(pruning.stderr())
                .contains("retention deleted 1 snapshot(s): wine_1_")
                .contains("+" + discriminator + ".gz");
    }

    @Test
    void pruneFiltersByPrefixAndWorkflowAndPrintsWholeFileNames() throws Exception {
        Path snaps = dir.resolve("snaps");
        run("run", "walk", "walk.walkers=1000", "walk.iterations=3", "--snapshot-dir", "snaps");
        run("run", "wine", "decision.max_epochs=3", "--snapshot-dir", "snaps", "--compression", "xz");
        run("run", "wine", "decision.max_epochs=3", "--snapshot-dir", "snaps", "--snapshot-prefix", "wine_b");
        Map<String, byte[]> before = files(snaps);

        VelesProcess wine = VelesProcess.run(
                dir, "snapshot", "prune", "snaps", "--prefix", "wine", "--keep-last", "1", "--dry-run");
        assertThat(wine.exitCode()).as(wine.stderr()).isZero();
        // wine_b_1 starts with wine_ but is another prefix's; each line names the whole file.
        assertThat(planned(wine.stdout()))
                .containsExactlyInAnyOrderElementsOf(before.keySet().stream()
                        .filter(name -> name.startsWith("wine_") && !name.startsWith("wine_b_"))
                        .toList())
                .allMatch(name -> name.endsWith(".xz"));
        assertThat(wine.stdout()).contains("dry run: 2 of 3 snapshots would be deleted");

        // A filter that selects nothing prunes nothing, as before; stderr names what is there.
        VelesProcess typo = VelesProcess.run(dir, "snapshot", "prune", "snaps", "--prefix", "win", "--keep-last", "1");
        assertThat(typo.exitCode()).as(typo.stderr()).isZero();
        assertThat(typo.stdout().strip()).isEqualTo("deleted 0 of 0 snapshots");
        assertThat(typo.stderr().strip())
                .startsWith("veles: no snapshot in ")
                .endsWith(" matches prefix win, so none was pruned (prefixes there: walk, wine, wine_b)")
                .doesNotContain("\n");
        VelesProcess both = VelesProcess.run(
                dir, "snapshot", "prune", "snaps", "--prefix", "wine", "--workflow", "walk", "--keep-last", "1");
        assertThat(both.exitCode()).isZero();
        assertThat(both.stderr())
                .contains(" matches prefix wine and workflow walk, so none was pruned (prefixes there: walk, wine,"
                        + " wine_b; workflows there: walk, wine)");
        // A prefix whose only snapshots are damaged: they are never pruned, and the note says why.
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(snaps.resolve("walk_00003.gz"), mixed.resolve("walk_00003.gz"));
        String wineFile = before.keySet().stream()
                .filter(name -> name.startsWith("wine_") && name.endsWith(".xz"))
                .findFirst()
                .orElseThrow();
        byte[] wineBytes = before.get(wineFile);
        Files.write(mixed.resolve(wineFile), java.util.Arrays.copyOf(wineBytes, wineBytes.length / 2));
        VelesProcess damaged =
                VelesProcess.run(dir, "snapshot", "prune", "mixed", "--prefix", "wine", "--keep-last", "1");
        assertThat(damaged.exitCode()).as(damaged.stderr()).isZero();
        assertThat(damaged.stderr())
                .contains("(prefixes there: walk); 1 named wine_* did not read as snapshots and are never pruned");
        assertThat(files(mixed)).hasSize(2);
        Files.createDirectories(dir.resolve("empty"));
        VelesProcess empty =
                VelesProcess.run(dir, "snapshot", "prune", "empty", "--prefix", "wine", "--keep-last", "1");
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.stdout()).contains("deleted 0 of 0 snapshots");
        assertThat(empty.stderr()).as("an empty store needs no note").isEmpty();

        VelesProcess walk =
                VelesProcess.run(dir, "snapshot", "prune", "snaps", "--workflow", "walk", "--keep-last", "1");
        assertThat(walk.exitCode()).as(walk.stderr()).isZero();
        assertThat(planned(walk.stdout())).containsExactlyInAnyOrder("walk_00001.gz", "walk_00002.gz", "walk_00003.gz");
        assertThat(walk.stdout()).contains("deleted 2 of 3 snapshots");
        Map<String, byte[]> after = files(snaps);
        assertThat(after.keySet())
                .doesNotContain("walk_00001.gz", "walk_00002.gz")
                .contains("walk_00003.gz");
        after.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(before.get(name)));
        assertThat(after).hasSize(before.size() - 2);
    }

    @Test
    void resumingADirectoryTakesTheNewestOfTheWorkflowBeingRunAndVerifyChecksEverySnapshot() throws Exception {
        Path snaps = dir.resolve("snaps");
        run("run", "wine", "decision.max_epochs=3", "--snapshot-dir", "snaps");
        run(
                "run",
                "walk",
                "walk.walkers=1000",
                "walk.iterations=2",
                "--snapshot-dir",
                "snaps"); // newer, another workflow
        String wineCurrent =
                Files.readSymbolicLink(snaps.resolve("wine_current.gz")).toString();

        VelesProcess resumed = VelesProcess.run(
                dir, "run", "wine", "-w", "snaps", "decision.max_epochs=5", "--snapshot-dir", "elsewhere");
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).contains("restored wine from snaps/" + wineCurrent);

        VelesProcess all = VelesProcess.run(dir, "snapshot", "verify", "snaps");
        assertThat(all.exitCode()).as(all.stderr()).isZero();
        assertThat(all.stdout().lines().filter(line -> line.contains(": OK ("))).hasSize(5);
        assertThat(all.stdout()).contains("checked 5 snapshot files in snaps: 5 whole, 0 not");

        VelesProcess current = VelesProcess.run(dir, "snapshot", "verify", "snaps", "--current");
        assertThat(current.exitCode()).as(current.stderr()).isZero();
        assertThat(current.stdout().strip())
                .startsWith("snaps/walk_00002.gz: OK (walk_00002,")
                .doesNotContain("\n");

        Files.write(snaps.resolve("wine_9_9.99.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0}); // a damaged snapshot
        VelesProcess damaged = VelesProcess.run(dir, "snapshot", "verify", "snaps");
        assertThat(damaged.exitCode()).isEqualTo(1);
        assertThat(damaged.stdout())
                .contains("snaps/wine_9_9.99.gz: FAILED (")
                .contains("checked 6 snapshot files in snaps: 5 whole, 1 not");
    }

    private void run(String... args) throws Exception {
        VelesProcess veles = VelesProcess.run(dir, args);
        assertThat(veles.exitCode()).as(veles.stderr()).isZero();
    }

    /** The files a prune plan lists, by the name it prints. */
    private static List<String> planned(String output) {
        List<String> names = new ArrayList<>();
        for (String line : output.lines().toList()) {
            for (String verb : List.of("keep ", "would delete ", "delete ")) {
                if (line.startsWith(verb)) {
                    names.add(line.substring(verb.length()).strip().split("\\s+")[0]);
                    break;
                }
            }
        }
        return names;
    }

    /** The run id a run logs as it starts ("run <id> of wine: initialising"). */
    private static String runId(VelesProcess veles) {
        return veles.stderr()
                .lines()
                .filter(line -> line.contains(": initialising"))
                .findFirst()
                .map(line -> line.replaceAll(".* run (\\S+) of .*", "$1"))
                .orElseThrow();
    }

    private static String manifestId(Path file) throws IOException {
        try (SnapshotReader reader = Snapshots.openFile(file)) {
            return reader.manifest().id;
        }
    }

    private static void waitForSnapshots(VelesProcess veles, Path snaps, int count) throws InterruptedException {
        while (veles.isAlive()
                && (!Files.isDirectory(snaps)
                        || new SnapshotDirectory(snaps).snapshots().size() < count)) {
            Thread.sleep(20);
        }
        assertThat(veles.isAlive())
                .as("the run ended before %d snapshots: %s", count, veles.stderr())
                .isTrue();
    }

    /** The snapshot files of {@code directory} (not links or hidden files), by name, with their bytes. */
    private static Map<String, byte[]> files(Path directory) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path file : entries.toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        }
        return files;
    }
}
