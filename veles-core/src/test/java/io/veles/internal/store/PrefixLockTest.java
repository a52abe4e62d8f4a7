package io.veles.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** One live run per prefix and directory, within one JVM; other processes are tested in veles-cli. */
class PrefixLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHolderInThisJvmIsRefusedNamingTheFirstUntilItLetsGo() throws Exception {
        SnapshotDirectory snapshots = new SnapshotDirectory(dir.resolve("snaps"));
        PrefixLock first = snapshots.lock("wine", "run-a");
        String pid = Long.toString(ProcessHandle.current().pid());
        assertThat(Files.readString(first.file()))
                .isEqualTo("run run-a, pid " + pid + " on host " + Host.name() + "\n");

        assertThatThrownBy(() -> snapshots.lock("wine", "run-b"))
                .isInstanceOf(SnapshotLockedException.class)
                .hasMessage("snapshot prefix 'wine' in " + dir.resolve("snaps") + " is in use by run run-a, pid " + pid
                        + " on host " + Host.name() + ": wait for that run to end, or give another --snapshot-dir or"
                        + " --snapshot-prefix");
        // Another path to the same directory is the same directory.
        assertThatThrownBy(() -> new SnapshotDirectory(dir.resolve("snaps/../snaps")).lock("wine", "run-b"))
                .isInstanceOf(SnapshotLockedException.class)
                .hasMessageContaining("run run-a");
        // Another prefix, or the same prefix elsewhere, is free.
        try (PrefixLock other = snapshots.lock("walk", "run-b");
                PrefixLock elsewhere = new SnapshotDirectory(dir.resolve("elsewhere")).lock("wine", "run-b")) {
            assertThat(other.file()).hasFileName(".walk.lock");
            assertThat(elsewhere.file()).hasFileName(".wine.lock");
        }
        // A refusal leaves the holder its lock.
        assertThatThrownBy(() -> snapshots.lock("wine", "run-c")).hasMessageContaining("run run-a");

        first.close();
        try (PrefixLock next = snapshots.lock("wine", "run-c")) {
            assertThat(Files.readString(next.file())).startsWith("run run-c, pid " + pid + " ");
        }
    }

    @Test
    void aDirectoryMadeForARunThatWroteNothingIsRemovedWithItsLock() throws Exception {
        Path empty = dir.resolve("made/for/nothing");
        new SnapshotDirectory(empty).lock("wine", "run-a").close();
        assertThat(empty).doesNotExist();
        assertThat(dir.resolve("made/for")).exists(); // only the directory the snapshots would have gone to

        Path used = dir.resolve("used");
        try (PrefixLock lock = new SnapshotDirectory(used).lock("wine", "run-b")) {
            Files.write(used.resolve("wine_1.gz"), new byte[] {1});
        }
        assertThat(used.resolve("wine_1.gz")).exists();
        assertThat(PrefixLock.fileOf(used, "wine"))
                .as("a lock file is never deleted where anything else is")
                .exists();

        Path existing = Files.createDirectories(dir.resolve("existing"));
        new SnapshotDirectory(existing).lock("wine", "run-c").close();
        assertThat(existing).as("a directory that was there stays").exists();
    }

    /**
     * The holder's close removes the lock file (with the directory it made) between the next run's
     * open and its lock: that run must not hold a lock on the removed file, which would let a third
     * run lock a new file of the same name beside it. It locks the file at the path instead.
     */
    @Test
    void aLockFileRemovedBetweenOpeningAndLockingIsNotTheOneHeld() throws Exception {
        Path snaps = Files.createDirectories(dir.resolve("snaps"));
        Path file = PrefixLock.fileOf(snaps, "wine");
        Files.writeString(file, "run closing-run, pid 999999 on host gone-host\n");
        int[] removals = {0};
        try (PrefixLock lock = PrefixLock.acquire(snaps, "wine", "run-next", false, () -> {
            if (removals[0]++ == 0) {
                try {
                    Files.delete(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        })) {
            assertThat(file).as("the lock held is the file at the path").exists();
            assertThat(Files.readString(file)).startsWith("run run-next, pid ");
            assertThat(removals[0]).as("opened again once").isEqualTo(2);
        }
    }

    /**
     * As above, the holder's close also removing the directory it made: the next run makes it again
     * and locks a file in it, and removes it again when it ends having written nothing.
     */
    @Test
    void aDirectoryRemovedWithItsLockFileIsMadeAgain() throws Exception {
        Path snaps = Files.createDirectories(dir.resolve("snaps"));
        Path file = PrefixLock.fileOf(snaps, "wine");
        Files.writeString(file, "run closing-run, pid 999999 on host gone-host\n");
        boolean[] removed = {false};
        PrefixLock lock = PrefixLock.acquire(snaps, "wine", "run-next", false, () -> {
            if (!removed[0]) {
                removed[0] = true;
                try {
                    Files.delete(file);
                    Files.delete(snaps);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        assertThat(Files.readString(file)).startsWith("run run-next, pid ");
        lock.close();
        assertThat(snaps).as("made again for this run, which wrote nothing").doesNotExist();
    }

    @Test
    void aLockFileLeftByADeadRunNeverBlocks() throws Exception {
        Path snaps = Files.createDirectories(dir.resolve("snaps"));
        Files.writeString(PrefixLock.fileOf(snaps, "wine"), "run dead-run, pid 999999 on host gone-host\n");
        try (PrefixLock lock = new SnapshotDirectory(snaps).lock("wine", "run-new")) {
            assertThat(Files.readString(lock.file())).startsWith("run run-new, pid ");
        }
        assertThat(new SnapshotDirectory(snaps).snapshots())
                .as("a lock file is not a snapshot")
                .isEmpty();
    }
}
