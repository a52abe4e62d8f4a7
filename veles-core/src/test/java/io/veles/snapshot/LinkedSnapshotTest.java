package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.internal.store.AtomicFiles;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A link a user makes to a snapshot names that snapshot, wherever it lies: not a file of the same
 * name beside the link. Here {@code archive/loop_1.gz} and {@code snaps/loop_1.gz} are two
 * snapshots of one name, told apart by their manifests.
 */
class LinkedSnapshotTest {
    @TempDir
    Path dir;

    private Path archive;
    private Path snaps;

    @BeforeEach
    void twoSnapshotsOfOneName() throws Exception {
        archive = Files.createDirectory(dir.resolve("archive"));
        snaps = Files.createDirectory(dir.resolve("snaps"));
        write(archive.resolve("loop_1.gz"), "archive");
        write(snaps.resolve("loop_1.gz"), "snaps");
    }

    private static void write(Path file, String where) throws Exception {
        Manifest manifest =
                Manifest.builder().name("loop_1").info("where", where).build();
        AtomicFiles.write(file, out -> SnapshotWriter.write(new LoopWorkflow(1, 10, -1), manifest, Codec.GZIP, 1, out));
    }

    private static String whereFrom(String source) throws IOException {
        try (SnapshotReader reader = Snapshots.open(source)) {
            return (String) reader.manifest().info.get("where");
        }
    }

    @Test
    void aLinkToASnapshotInAnotherDirectoryReadsThatSnapshot() throws Exception {
        Path relative = Files.createSymbolicLink(snaps.resolve("best.gz"), Path.of("../archive/loop_1.gz"));
        Path absolute = Files.createSymbolicLink(snaps.resolve("kept.gz"), archive.resolve("loop_1.gz"));
        Path twice = Files.createSymbolicLink(snaps.resolve("again.gz"), Path.of("best.gz"));
        for (Path link : new Path[] {relative, absolute, twice}) {
            assertThat(whereFrom(link.toString())).as(link.toString()).isEqualTo("archive");
            try (SnapshotReader reader = Snapshots.openFile(link)) {
                assertThat(reader.manifest().info.get("where"))
                        .as(link.toString())
                        .isEqualTo("archive");
            }
        }
        // a link to a name beside it, as a _current link is, still reads the file beside it
        Path beside = Files.createSymbolicLink(snaps.resolve("newest.gz"), Path.of("loop_1.gz"));
        assertThat(whereFrom(beside.toString())).isEqualTo("snaps");
    }

    @Test
    void aCurrentLinkOutOfItsDirectoryIsReadWhereItPointsOrRefused() throws Exception {
        Path link = Files.createSymbolicLink(snaps.resolve("loop_current.gz"), Path.of("../archive/loop_1.gz"));
        assertThat(whereFrom(link.toString())).isEqualTo("archive");
        // named by its directory, the link would make the store read its own loop_1.gz: refused
        assertThatThrownBy(() -> whereFrom(snaps.toString()))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("points at")
                .hasMessageContaining("outside " + snaps)
                .hasMessageNotContaining("\n");
    }
}
