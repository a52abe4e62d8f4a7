package io.veles.cli;

import static io.veles.cli.VelesProcess.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.veles.internal.store.AtomicFiles;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.TestDepth;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** Real processes killed with SIGKILL: snapshots stay whole, and a resumed run ends as an uninterrupted one. */
@Tag("slow")
class KillTest {
    @TempDir
    Path dir;

    private static void assertWhole(Path file) throws Exception {
        try (SnapshotReader reader = Snapshots.openFile(file)) {
            reader.verify();
        }
    }

    @Test
    void killsDuringASnapshotLoopLeaveEverySnapshotWholeAndCurrentValid() throws Exception {
        Path snaps = dir.resolve("snaps");
        Random random = new Random(20261125);
        int midWriteKills = 0;
        int snapshotsSeen = 0;
        // A multiple of four, so that half of the kills of each codec land mid-write.
        int kills = TestDepth.repetitions("KillTest", "SIGKILLs of a snapshot loop", 8, 20);
        for (int kill = 0; kill < kills; kill++) {
            // Large enough that most of the time goes to writing snapshots, one per iteration.
            VelesProcess veles = VelesProcess.start(
                    dir,
                    "run",
                    "walk",
                    "walk.walkers=400000",
                    "walk.iterations=100000",
                    "--snapshot-dir",
                    snaps.toString(),
                    "--compression",
                    kill % 2 == 0 ? "gz" : "none",
                    "--compression-level",
                    kill % 2 == 0 ? "1" : "0");
            waitForFirstSnapshotOrDeath(snaps, veles, kill);
            Thread.sleep(random.nextInt(900));
            assertThat(veles.isAlive())
                    .as("run %d ended early: %s", kill, veles.stderr())
                    .isTrue();
            if ((kill / 2) % 2 == 0) {
                // Half of the kills, of each codec, land while a snapshot file is provably half written.
                Path temporary = killMidWrite(veles, snaps);
                assertThat(temporary)
                        .as("the half-written file of run %d", kill)
                        .isRegularFile();
                midWriteKills++;
            } else {
                veles.kill(); // wherever the run happens to be
            }

            List<Path> snapshots = new SnapshotDirectory(snaps).snapshots();
            assertThat(snapshots).isNotEmpty().noneMatch(AtomicFiles::isTemporary);
            for (Path snapshot : snapshots) {
                assertWhole(snapshot);
            }
            snapshotsSeen += snapshots.size();
            assertWhole(SnapshotDirectory.resolveSource(snaps));
        }
        assertThat(snapshotsSeen).isGreaterThan(kills);
        assertThat(midWriteKills).isEqualTo(kills / 2);
        // Kills that landed mid-write leave temporaries; the next run's snapshotter removes them.
        AtomicFiles.deleteStaleTemporaries(snaps);
        try (Stream<Path> files = Files.list(snaps)) {
            assertThat(files.filter(AtomicFiles::isTemporary)).isEmpty();
        }
    }

    @Test
    void killsDuringDifferentialWritesLeaveEveryVisibleSnapshotRestorable() throws Exception {
        Path snaps = dir.resolve("differential");
        Random random = new Random(20261201);
        int differentialSeen = 0;
        int kills = TestDepth.repetitions("KillTest", "SIGKILLs during differential writes", 4, 12);
        for (int kill = 0; kill < kills; kill++) {
            int before = snapshotCount(snaps);
            VelesProcess veles = VelesProcess.start(
                    dir,
                    "run",
                    "walk",
                    "walk.walkers=400000",
                    "walk.iterations=100000",
                    "--snapshot-dir",
                    snaps.toString(),
                    "--compression",
                    "gz",
                    "--compression-level",
                    "1",
                    "--incremental",
                    "snapshotter.full_every=4");
            waitForFirstSnapshotOrDeath(snaps, veles, 0);
            // A process's first snapshot stands alone: wait for its second, a differential one.
            for (int i = 0; i < 600 && veles.isAlive() && snapshotCount(snaps) < before + 2; i++) {
                Thread.sleep(50);
            }
            Thread.sleep(random.nextInt(900));
            assertThat(veles.isAlive())
                    .as("run %d ended early: %s", kill, veles.stderr())
                    .isTrue();
            if (kill % 2 == 0) {
                assertThat(killMidWrite(veles, snaps)).isRegularFile();
            } else {
                veles.kill();
            }
            List<Path> snapshots = new SnapshotDirectory(snaps).snapshots();
            assertThat(snapshots).isNotEmpty().noneMatch(AtomicFiles::isTemporary);
            for (Path snapshot : snapshots) {
                try (SnapshotReader reader = Snapshots.openFile(snapshot)) {
                    if (reader.isDifferential()) {
                        differentialSeen++;
                    }
                    reader.verify(); // a differential snapshot's whole chain, and what it assembles into
                }
            }
            assertWhole(SnapshotDirectory.resolveSource(snaps));
        }
        assertThat(differentialSeen)
                .as("differential snapshots among those checked")
                .isGreaterThan(kills);
    }

    private static int snapshotCount(Path snaps) {
        return Files.isDirectory(snaps)
                ? new SnapshotDirectory(snaps).snapshots().size()
                : 0;
    }

    /**
     * SIGKILLs {@code veles} while it writes a snapshot, and returns the temporary file it was
     * writing. Timing alone cannot promise that (on a slow machine no random kill may land in a
     * write), so the process is frozen with SIGSTOP whenever one of its temporaries is seen, and
     * killed only if the temporary is still there in the frozen process; otherwise it goes on.
     */
    private static Path killMidWrite(VelesProcess veles, Path snaps) throws Exception {
        for (int attempt = 0; attempt < 60_000 && veles.isAlive(); attempt++) {
            if (temporaryOf(veles, snaps) != null) {
                veles.freeze();
                Path temporary = temporaryOf(veles, snaps);
                if (temporary != null) {
                    veles.kill();
                    return temporary;
                }
                veles.thaw();
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no snapshot write caught in a minute: " + veles.stderr());
    }

    /** A snapshot file (not a link) that {@code veles} is writing in {@code snaps}, or null. */
    private static Path temporaryOf(VelesProcess veles, Path snaps) throws Exception {
        String mine = "." + veles.pid() + ".";
        try (Stream<Path> files = Files.list(snaps)) {
            return files.filter(AtomicFiles::isTemporary)
                    .filter(file -> file.getFileName().toString().contains(mine))
                    .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .findFirst()
                    .orElse(null);
        }
    }

    private static void waitForFirstSnapshotOrDeath(Path snaps, VelesProcess veles, int kill)
            throws InterruptedException {
        for (int i = 0; i < 600 && veles.isAlive(); i++) {
            if (Files.exists(snaps.resolve(kill % 2 == 0 ? "walk_current.gz" : "walk_current"))) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(veles.isAlive()).as("veles died: %s", veles.stderr()).isTrue();
    }

    @Test
    void aRunKilledMidWayAndResumedEndsBitForBitAsTheUninterruptedRun() throws Exception {
        String[] workload = {"walk.walkers=200000", "walk.iterations=60", "--random-seed", "77", "--compression", "zst"
        };
        Map<?, ?> expected = RunResults.ofUninterruptedRun(dir, "walk", workload);

        int attempts = TestDepth.repetitions("KillTest", "kill-and-resume points", 1, 3);
        for (int attempt = 0; attempt < attempts; attempt++) {
            Path snaps = dir.resolve("killed" + attempt);
            VelesProcess killed = VelesProcess.start(
                    dir, concat(new String[] {"run", "walk", "--snapshot-dir", snaps.toString()}, workload));
            int wanted = 5 + 12 * attempt; // kill after different numbers of snapshots
            while (killed.isAlive() && countSnapshots(snaps) < wanted) {
                Thread.sleep(20);
            }
            assertThat(killed.isAlive())
                    .as("run ended before it could be killed: %s", killed.stderr())
                    .isTrue();
            killed.kill();

            Path result = dir.resolve("resumed" + attempt + ".json");
            VelesProcess resumed =
                    VelesProcess.run(dir, "run", "walk", "-w", snaps.toString(), "--result-file", result.toString());
            assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
            assertThat(resumed.stderr()).contains("restored walk from");
            Map<?, ?> actual = RunResults.read(result);
            assertThat(actual).as("resumed after snapshot %d", wanted).isEqualTo(expected);
        }
    }

    @Test
    void sigtermStopsAtAUnitBoundaryWithAFinalSnapshotThatResumesExactly() throws Exception {
        String[] workload = {
            "walk.walkers=200000", "walk.iterations=60", "--random-seed", "5", "--snapshot-interval", "7"
        };
        Map<?, ?> expected = RunResults.ofUninterruptedRun(dir, "walk", workload);

        Path snaps = dir.resolve("stopped");
        VelesProcess stopped = VelesProcess.start(
                dir, concat(new String[] {"run", "walk", "--snapshot-dir", snaps.toString()}, workload));
        while (stopped.isAlive() && countSnapshots(snaps) < 2) {
            Thread.sleep(20);
        }
        assertThat(stopped.isAlive())
                .as("run ended before it could be stopped: %s", stopped.stderr())
                .isTrue();
        stopped.terminate();
        stopped.waitFor(60);
        assertThat(stopped.exitCode()).as(stopped.stderr()).isEqualTo(143);
        assertThat(stopped.stderr())
                .contains("SIGTERM received: stopping at the next unit boundary")
                .contains("stopped before the end; ")
                .contains("; continue with: veles run walk -w ");

        Path result = dir.resolve("after-sigterm.json");
        VelesProcess resumed =
                VelesProcess.run(dir, "run", "walk", "-w", snaps.toString(), "--result-file", result.toString());
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        Map<?, ?> actual = RunResults.read(result);
        assertThat(actual).isEqualTo(expected);
    }

    private static long countSnapshots(Path snaps) {
        if (!Files.isDirectory(snaps)) {
            return 0;
        }
        return new SnapshotDirectory(snaps).snapshots().size();
    }
}
