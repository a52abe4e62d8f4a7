package io.veles.snapshot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.snapshot.SnapshotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDirectoryTest {
    @TempDir
    Path dir;

    private static SnapshotBody bytes(byte[] content) {
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

    @Test
    void aFailingWriteLeavesNoTemporaryAndTouchesNothing() throws IOException {
        SnapshotDirectory snapshots = new SnapshotDirectory(dir);
        snapshots.write("run", "1", "", bytes(new byte[] {1}));
        assertThatThrownBy(() -> snapshots.write("run", "1", "", out -> {
            out.write(new byte[3 << 20]);
            throw new IOException("disk on fire");
        })).hasMessageContaining("disk on fire");
        assertThat(entries()).containsExactly("run_1", "run_current");
        assertThat(Files.readAllBytes(dir.resolve("run_current"))).containsExactly(1);
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
        assertThatThrownBy(() -> snapshots.fileFor("../evil", "1", ".gz")).isInstanceOf(SnapshotException.class)
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
        Path stale = dir.resolve(".run_3.gz." + dead.pid() + ".0badcafe.tmp");
        Path live = dir.resolve(".run_4.gz." + ProcessHandle.current().pid() + ".12345678.tmp");
        Files.write(stale, new byte[] {1});
        Files.write(live, new byte[] {1});
        Files.write(dir.resolve("run_2.gz"), new byte[] {1});
        assertThat(AtomicFiles.isTemporary(stale)).isTrue();
        assertThat(AtomicFiles.isTemporary(dir.resolve("run_2.gz"))).isFalse();
        assertThat(new SnapshotDirectory(dir).snapshots()).containsExactly(dir.resolve("run_2.gz"));

        assertThat(AtomicFiles.deleteStaleTemporaries(dir)).isEqualTo(1);
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
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
