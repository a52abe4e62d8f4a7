package io.veles.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

class SnapshotDirectoryTest {
    @TempDir
    Path dir;

    private static BodyWriter bytes(byte[] content) {
        return out -> out.write(content);
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheFileAndPointsCurrentAtItWithARelativeLink() throws IOException {
        SnapshotDirectory snapshots = new SnapshotDirectory(dir.resolve("new/sub"));
        Path first = snapshots.write("run", "1", ".gz", bytes(new byte[] {1}));
        Path second = snapshots.write("run", "2", ".gz", bytes(new byte[] {2}));
        Path link = snapshots.currentLink("run", ".gz");
        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("run_2.gz");
        assertThat(Files.readAllBytes(link)).containsExactly(2);
        assertThat(Files.readAllBytes(first)).containsExactly(1);
        assertThat(snapshots.snapshots()).containsExactly(first, second);
        assertThat(SnapshotDirectory.resolveSource(dir.resolve("new/sub"))).isEqualTo(second);
        assertThat(SnapshotDirectory.resolveSource(link)).isEqualTo(link);
    }

    /**
     * A snapshot copied under the link's name (scp or cp -L follow links) is a file, and a run
     * resumed from it must not lose it to the next link: it is left as it is.
     */
    @Test
    void aFileWhereTheCurrentLinkGoesIsNeverReplaced() throws IOException {
        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        Path copied = snapshots.currentLink("run", ".gz");
        Files.write(copied, new byte[] {9, 9});
        Path written = snapshots.write("run", "1", ".gz", bytes(new byte[] {1}));
        assertThat(Files.isSymbolicLink(copied)).isFalse();
        assertThat(Files.readAllBytes(copied)).containsExactly(9, 9);
        assertThat(Files.readAllBytes(written)).containsExactly(1);
    }

    @Test
    void aTakenNameGetsADistinctOneAndTheEarlierFileStaysByteForByte() throws IOException {
        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        Path first = snapshots.write("run", "4_0.12", ".gz", bytes(new byte[] {1}));
        assertThat(snapshots.freeSuffix("run", "4_0.12", ".gz", "1a2b3c4d")).isEqualTo("4_0.12+1a2b3c4d");
        assertThat(snapshots.freeSuffix("run", "4_0.12", ".xz", "1a2b3c4d"))
                .as("another codec's name is free")
                .isEqualTo("4_0.12");

        AtomicFiles.Published second = snapshots.write("run", "4_0.12", ".gz", "1a2b3c4d", bytes(new byte[] {2}));
        AtomicFiles.Published third = snapshots.write("run", "4_0.12", ".gz", "1a2b3c4d", bytes(new byte[] {3}));
        Path fourth = snapshots.write("run", "4_0.12", ".gz", bytes(new byte[] {4})); // no discriminator: numbered

        assertThat(second.file()).isEqualTo(dir.resolve("run_4_0.12+1a2b3c4d.gz"));
        assertThat(third.file()).isEqualTo(dir.resolve("run_4_0.12+1a2b3c4d-2.gz"));
        assertThat(fourth).isEqualTo(dir.resolve("run_4_0.12+2.gz"));
        assertThat(Files.readAllBytes(first)).containsExactly(1);
        assertThat(Files.readAllBytes(second.file())).containsExactly(2);
        assertThat(Files.readAllBytes(third.file())).containsExactly(3);
        assertThat(Files.readSymbolicLink(snapshots.currentLink("run", ".gz"))).isEqualTo(Path.of("run_4_0.12+2.gz"));
        assertThat(entries())
                .containsExactly(
                        "run_4_0.12+1a2b3c4d-2.gz",
                        "run_4_0.12+1a2b3c4d.gz",
                        "run_4_0.12+2.gz",
                        "run_4_0.12.gz",
                        "run_current.gz");
    }

    /** The name is taken between the check and the publication: the link fails, nothing is replaced. */
    @Test
    void publishingNeverReplacesAFileThatAppearedMeanwhile() throws IOException {
        Path taken = dir.resolve("run_1.gz");
        Files.write(taken, new byte[] {7, 7});
        Path alternative = dir.resolve("run_1+r.gz");
        AtomicFiles.Published published =
                AtomicFiles.writeNew(attempt -> attempt == 0 ? taken : alternative, bytes(new byte[] {1}));
        assertThat(published.file()).isEqualTo(alternative);
        assertThat(published.bytes()).isEqualTo(1);
        assertThat(Files.readAllBytes(taken)).containsExactly(7, 7);
        assertThat(Files.readAllBytes(alternative)).containsExactly(1);
        assertThat(entries()).as("no temporary is left").containsExactly("run_1+r.gz", "run_1.gz");

        // A dangling link holds a name too: it is not replaced either.
        Files.createSymbolicLink(dir.resolve("run_2.gz"), Path.of("nowhere"));
        assertThatThrownBy(() -> AtomicFiles.writeNew(
                        attempt -> dir.resolve(attempt == 0 ? "run_2.gz" : "run_1.gz"), bytes(new byte[] {2})))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("alternative names are taken");
        assertThat(Files.readSymbolicLink(dir.resolve("run_2.gz"))).isEqualTo(Path.of("nowhere"));
        assertThat(entries()).containsExactly("run_1+r.gz", "run_1.gz", "run_2.gz");
    }

    @Test
    void aFailingWriteLeavesNoTemporaryAndTouchesNothing() throws IOException {
        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        snapshots.write("run", "1", "", bytes(new byte[] {1}));
        assertThatThrownBy(() -> snapshots.write("run", "1", "", out -> {
                    out.write(new byte[3 << 20]);
                    throw new IOException("disk on fire");
                }))
                .hasMessageContaining("disk on fire");
        assertThat(entries()).containsExactly("run_1", "run_current");
        assertThat(Files.readAllBytes(dir.resolve("run_current"))).containsExactly(1);
    }

    @Test
    void aBodyThatClosesItsStreamStillHasEveryByteWrittenAndSynced() throws IOException {
        // as the snapshot writer does: closing a codec's stream closes the stream it wraps
        byte[] content = new byte[(3 << 20) + 12_345];
        new Random(2).nextBytes(content);
        long written = AtomicFiles.write(dir.resolve("closed"), out -> {
            try (OutputStream closing = out) {
                closing.write(content);
            }
        });
        assertThat(written).isEqualTo(content.length);
        assertThat(Files.readAllBytes(dir.resolve("closed"))).isEqualTo(content);
    }

    @Test
    void aLargeBodyIsStreamedWhole() throws IOException {
        byte[] content = new byte[64 << 20];
        new Random(1).nextBytes(content);
        long written = AtomicFiles.write(dir.resolve("big"), out -> {
            out.write(content, 0, 5);
            out.write(content, 5, content.length - 5);
        });
        assertThat(written).isEqualTo(content.length);
        assertThat(Files.readAllBytes(dir.resolve("big"))).isEqualTo(content);
    }

    @Test
    void namesThatAreNotPlainAreRefused() {
        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        assertThatThrownBy(() -> snapshots.fileFor("../evil", "1", ".gz"))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("snapshot prefix '../evil'");
        assertThatThrownBy(() -> snapshots.fileFor("run", "a/b", ".gz")).hasMessageContaining("snapshot suffix 'a/b'");
        assertThatThrownBy(() -> snapshots.fileFor("run", ".hidden", ".gz")).hasMessageContaining("suffix '.hidden'");
        assertThatThrownBy(() -> snapshots.fileFor("run", "current", ".gz")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> snapshots.fileFor("", "1", ".gz")).hasMessageContaining("prefix ''");
    }

    @Test
    void sourcesResolveOrSayWhatIsWrong() throws IOException {
        assertThatThrownBy(() -> SnapshotDirectory.resolveSource(dir.resolve("missing.gz")))
                .hasMessage("no such file or directory: " + dir.resolve("missing.gz"));
        assertThatThrownBy(() -> SnapshotDirectory.resolveSource(dir))
                .hasMessage(dir + " is a directory with no snapshot (no *_current link)");

        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        Path older = snapshots.write("a", "1", ".xz", bytes(new byte[] {1}));
        Path newer = snapshots.write("b", "1", ".gz", bytes(new byte[] {2}));
        Files.setLastModifiedTime(older, FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(newer, FileTime.fromMillis(2_000_000));
        assertThat(SnapshotDirectory.resolveSource(dir)).isEqualTo(newer);

        Files.delete(newer);
        assertThatThrownBy(() -> SnapshotDirectory.resolveSource(dir))
                .hasMessage(dir + ": link b_current.gz points at missing b_1.gz");
        assertThatThrownBy(() -> SnapshotDirectory.resolveSource(dir.resolve("b_current.gz")))
                .hasMessageContaining("link points at missing b_1.gz");
    }

    @Test
    void staleTemporariesOfDeadWritersAreRemovedAndLiveOnesKept() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path stale = dir.resolve(".run_3.gz.@" + Host.name() + "." + dead.pid() + ".0badcafe.tmp");
        Path live = dir.resolve(
                ".run_4.gz.@" + Host.name() + "." + ProcessHandle.current().pid() + ".12345678.tmp");
        // The same pid on another host sharing the file system: this host cannot tell whether it lives.
        Path otherHost = dir.resolve(".run_5.gz.@" + Host.name() + "-other." + dead.pid() + ".0badcafe.tmp");
        // Written before temporaries named their host: whose it is cannot be told either.
        Path hostless = dir.resolve(".run_6.gz." + dead.pid() + ".0badcafe.tmp");
        // Named like ours, with a number no pid can be: no writer of this host's, so left alone.
        Path longNumber = dir.resolve(".run_7.gz.@" + Host.name() + ".99999999999999999999.0badcafe.tmp");
        Files.write(longNumber, new byte[] {1});
        Files.write(stale, new byte[] {1});
        Files.write(live, new byte[] {1});
        Files.write(otherHost, new byte[] {1});
        Files.write(hostless, new byte[] {1});
        assertThat(AtomicFiles.isTemporary(otherHost)).isTrue();
        assertThat(AtomicFiles.isTemporary(hostless)).isTrue();
        Files.write(dir.resolve("run_2.gz"), new byte[] {1});
        assertThat(AtomicFiles.isTemporary(stale)).isTrue();
        assertThat(AtomicFiles.isTemporary(dir.resolve("run_2.gz"))).isFalse();
        assertThat(new SnapshotDirectory(dir).snapshots()).containsExactly(dir.resolve("run_2.gz"));

        assertThat(AtomicFiles.deleteStaleTemporaries(dir)).isEqualTo(1);
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(otherHost).exists();
        assertThat(hostless).exists();
        assertThat(longNumber).exists();
    }

    /**
     * A suffix that makes a snapshot's name another prefix's or codec's link name: prefix a's
     * a_b_current.gz is prefix a_b's link, which a_b's writer could no longer move (a regular
     * file in the way) and a resume would take for a_b's newest; with no codec, x_current.gz is
     * the gz link of x.
     */
    @Test
    void aSnapshotNameThatIsALinksNameIsRefused() {
        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        for (String[] name :
                new String[][] {{"a", "b_current", ".gz"}, {"x", "current.gz", ""}, {"a", "b_current", ""}}) {
            assertThatThrownBy(() -> snapshots.write(name[0], name[1], name[2], bytes(new byte[] {1})))
                    .isInstanceOf(io.veles.errors.SnapshotException.class)
                    .hasMessageContaining("a suffix may not end in 'current'")
                    .satisfies(refused -> assertThat(dir).isEmptyDirectory());
        }
        assertThat(snapshots.write("a", "current_1", ".gz", bytes(new byte[] {1})))
                .hasFileName("a_current_1.gz");
    }

    /**
     * A stale temporary that cannot be deleted (here a directory with a file in it; in life another
     * user's, in a shared directory with the sticky bit) failed every later snapshot written here.
     */
    @Test
    void aStaleTemporaryThatCannotBeDeletedStopsNoSnapshot() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path stuck = dir.resolve(".run_3.gz.@" + Host.name() + "." + dead.pid() + ".0badcafe.tmp");
        Files.createDirectories(stuck);
        Files.write(stuck.resolve("inside"), new byte[] {1});
        Path stale = dir.resolve(".run_4.gz.@" + Host.name() + "." + dead.pid() + ".0badcafe.tmp");
        Files.write(stale, new byte[] {1});

        Path written = new SnapshotDirectory(dir).write("run", "5", ".gz", bytes(new byte[] {5}));

        assertThat(written).hasBinaryContent(new byte[] {5});
        assertThat(stuck).exists();
        assertThat(stale).doesNotExist();
    }

    /**
     * A download killed between its copy and its clean-up leaves a hidden copy as large as the
     * snapshot; it is named as writers' temporaries are, and the next download here reclaims it.
     */
    @Test
    void aKilledDownloadsCopyIsReclaimedByTheNextDownload() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String ours = AtomicFiles.temporaryName("run_1.gz");
        Path left = dir.resolve(ours.replace("." + ProcessHandle.current().pid() + ".", "." + dead.pid() + "."));
        Files.write(left, new byte[] {1, 2, 3});
        Path verified = dir.resolve("verified");
        Files.write(verified, new byte[] {4});
        Path kept = DownloadedSnapshots.keep(
                verified, "run_1.gz", dir.resolve("downloads").getParent());
        assertThat(Files.readAllBytes(kept)).containsExactly(4);
        assertThat(left).doesNotExist();
    }

    @Test
    void aFileInTheWayOfTheDirectoryIsReported() throws IOException {
        Files.write(dir.resolve("blocker"), new byte[] {1});
        SnapshotDirectory snapshots = new SnapshotDirectory(dir.resolve("blocker"));
        assertThatThrownBy(() -> snapshots.write("run", "1", "", bytes(new byte[] {1})))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("blocker");
    }
}
