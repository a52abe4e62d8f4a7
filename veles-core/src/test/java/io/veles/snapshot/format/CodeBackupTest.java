package io.veles.snapshot.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.pickle.ClassAllowList;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

class CodeBackupTest {
    @TempDir
    Path dir;

    private static byte[] snapshotWithCode(Codec codec) throws Exception {
        LoopWorkflow workflow = new LoopWorkflow(2, 10, -1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(workflow, new Manifest(), codec, -1, null, CodeBackup.collect(LoopWorkflow.class), out);
        return out.toByteArray();
    }

    @Test
    void aSnapshotCarriesItsWorkflowsClassFilesAndStillVerifiesAndRestores() throws Exception {
        byte[] snapshot = snapshotWithCode(Codec.GZIP);
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
            assertThat(reader.hasCodeBackup()).isTrue();
            assertThat(CodeBackup.extract(reader.readCodeBackup(), dir)).isPositive();
        }
        // The test classes come from a directory: the package's class files are kept, by path.
        assertThat(dir.resolve("io/veles/testing/LoopWorkflow.class")).exists();
        assertThat(dir.resolve("io/veles/testing/LoopWorkflow$Accumulate.class"))
                .exists();
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
            reader.verify();
        }
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap")) {
            assertThat(reader.restore(ClassAllowList.forWorkflow(LoopWorkflow.class, List.of()))
                            .workflow()
                            .name())
                    .isEqualTo("loop");
        }
    }

    @Test
    void aSnapshotWithoutCodeSaysSo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(new LoopWorkflow(1, 1, -1), new Manifest(), Codec.NONE, -1, out);
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(out.toByteArray()), "snap")) {
            assertThatThrownBy(reader::readCodeBackup)
                    .hasMessage("snap carries no code backup (take snapshots with snapshotter.code_backup=true)");
        }
    }

    @Test
    void entriesThatWouldLandOutsideTheDirectoryAreRefused() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("../escaped.class"));
            out.write(1);
            out.closeEntry();
        }
        Path target = Files.createDirectories(dir.resolve("code"));
        assertThatThrownBy(() -> CodeBackup.extract(zip.toByteArray(), target))
                .hasMessageContaining("entry outside its directory: ../escaped.class");
        assertThat(dir.resolve("escaped.class")).doesNotExist();
    }
}
