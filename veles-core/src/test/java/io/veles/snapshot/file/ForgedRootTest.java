package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.internal.pickle.GraphWriter;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.SnapshotDiff;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A well-formed snapshot (checksums right) whose manifest names one workflow class while its
 * payload's root is another, allowed by the first's package: {@code diff} and a restore choose
 * their allow-list from the manifest, so they must check that the root is what it names.
 */
class ForgedRootTest {
    @TempDir
    Path dir;

    /** {@code root}'s state under a manifest that names {@code claimed} as its workflow. */
    private static byte[] forged(Workflow root, Class<? extends Workflow> claimed) throws Exception {
        return forged(root, manifest -> manifest.workflowClass(claimed.getName()));
    }

    /** {@code root}'s state under its own manifest as {@code edit} changes it, checksums right. */
    static byte[] forged(Workflow root, java.util.function.UnaryOperator<Manifest.Builder> edit) throws Exception {
        SnapshotWriter.Options options = SnapshotWriter.Options.of(Codec.NONE, -1);
        Manifest manifest = edit.apply(SnapshotWriter.prepare(root, new Manifest(), options).manifest().toBuilder())
                .build();
        GraphWriter.Layout layout = GraphWriter.measure(root);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CrcOutputStream content = new CrcOutputStream(bytes, null);
        DataOutputStream data = new DataOutputStream(content);
        SnapshotWriter.writeHeader(
                data,
                content,
                SnapshotWriter.flags(false, false, false),
                SnapshotWriter.JSON.writeValueAsBytes(manifest),
                layout.payloadBytes());
        GraphWriter.write(root, content, layout, false);
        SnapshotWriter.writeTrailer(data, content);
        data.flush();
        return bytes.toByteArray();
    }

    @Test
    void aRootOtherThanTheManifestNamesIsRefusedByDiffAndRestore() throws Exception {
        byte[] snapshot = forged(new ShuffleFilterTest.Model(1), SignatureTest.Model.class);
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "forged")) {
            reader.verify(); // the container itself is whole: only the root gives it away
        }
        Path file = Files.write(dir.resolve("forged"), snapshot);
        String expected = "its payload's main workflow is a " + ShuffleFilterTest.Model.class.getName()
                + " but its manifest names " + SignatureTest.Model.class.getName();
        assertThatThrownBy(() -> SnapshotDiff.compare(file.toString(), file.toString(), false))
                .hasMessageContaining(expected);
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "forged")) {
            assertThatThrownBy(() -> reader.restore(RestoreRules.forWorkflow(SignatureTest.Model.class)))
                    .hasMessageContaining(expected);
        }
    }
}
