package io.veles.snapshot.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An output is put in place in one step, never over a file it was not told to replace. */
class OutputTargetTest {
    @TempDir
    Path dir;

    @Test
    void aFileMadeWhileTheExportRanIsKeptWithoutForce() throws IOException {
        Path output = dir.resolve("state.npz");
        OutputTarget target = new OutputTarget(output, false);
        Files.writeString(target.temporary(), "exported");
        Files.writeString(output, "someone else's"); // made after the check, before the move

        assertThatThrownBy(target::commit)
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("was made while this ran, and is kept; --force replaces it");
        assertThat(output).hasContent("someone else's");
        target.discard();
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(output);
        }
    }

    /**
     * With --force a file is replaced unless it is a snapshot, whatever its name says: an
     * uncompressed snapshot named like an export is kept, a text named like a snapshot is not.
     */
    @Test
    void forceReplacesWhatIsNotASnapshotWhateverItsName() throws IOException {
        Path uncompressed = dir.resolve("state.npz");
        Files.write(uncompressed, io.veles.snapshot.format.SnapshotFormat.MAGIC);
        assertThatThrownBy(() -> new OutputTarget(uncompressed, true))
                .isInstanceOf(SnapshotException.class)
                .hasMessage(uncompressed + " is a snapshot; not replaced, even with --force");
        Path named = Files.writeString(dir.resolve("wine_3_0.00.gz"), "notes");
        OutputTarget target = new OutputTarget(named, true);
        Files.writeString(target.temporary(), "exported");
        target.commit();
        assertThat(named).hasContent("exported");
    }

    /** An output under a file is refused naming that file, not as a missing directory. */
    @Test
    void anOutputUnderAFileNamesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertThatThrownBy(() -> new OutputTarget(file.resolve("sub"), false))
                .isInstanceOf(SnapshotException.class)
                .hasMessage("cannot write " + file.resolve("sub") + ": " + file + " is a file, not a directory");
    }

    @Test
    void withoutAnythingInTheWayTheFileIsPutInPlace() throws IOException {
        Path output = dir.resolve("state.npz");
        OutputTarget target = new OutputTarget(output, false);
        Files.writeString(target.temporary(), "exported");
        target.commit();
        assertThat(output).hasContent("exported");
        assertThat(target.temporary()).doesNotExist();
    }

    /**
     * An earlier export that has since been given other files (a snapshot, notes, a link, a
     * directory) is not replaced with --force: replacing it would delete them. Checked when the
     * output is chosen and again when the new one is put in place.
     */
    @Test
    void anEarlierExportHoldingOtherFilesIsNotReplaced() throws IOException {
        Path output = Files.createDirectories(dir.resolve("state"));
        Files.writeString(output.resolve(NpzWriter.METADATA_ENTRY), "{}");
        Files.writeString(output.resolve("fc1.weights.npy"), "array");
        for (String other : new String[] {"wine_3_0.00.gz", "notes.txt", "sub"}) {
            Path extra = other.equals("sub")
                    ? Files.createDirectories(output.resolve(other))
                    : Files.writeString(output.resolve(other), "kept");
            assertThatThrownBy(() -> new OutputTarget(output, true, true))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessage(output + " holds files an export does not write (" + other
                            + "); not replaced, even with --force");
            Files.delete(extra);
        }
        Files.createSymbolicLink(output.resolve("link.npy"), output.resolve("fc1.weights.npy"));
        assertThatThrownBy(() -> new OutputTarget(output, true, true)).hasMessageContaining("(link.npy)");
        Files.delete(output.resolve("link.npy"));

        OutputTarget target = new OutputTarget(output, true, true);
        Files.createDirectories(target.temporary());
        Files.writeString(output.resolve("wine_4_0.00.gz"), "put there while the export ran");
        assertThatThrownBy(target::commit).hasMessageContaining("(wine_4_0.00.gz)");
        assertThat(output.resolve("wine_4_0.00.gz")).hasContent("put there while the export ran");
        assertThat(output.resolve("fc1.weights.npy")).hasContent("array");
        target.discard();
    }

    /** With --force, an earlier export directory is moved aside, and back if the new one cannot take its place. */
    @Test
    void anEarlierExportStaysWhenTheNewOneCannotTakeItsPlace() throws IOException {
        Path output = Files.createDirectories(dir.resolve("state"));
        Files.writeString(output.resolve(NpzWriter.METADATA_ENTRY), "{}");
        OutputTarget target = new OutputTarget(output, true, true);
        // nothing written under the temporary name: the move into place fails

        assertThatThrownBy(target::commit).isInstanceOf(IOException.class);
        assertThat(output.resolve(NpzWriter.METADATA_ENTRY)).hasContent("{}");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(output);
        }
    }
}
