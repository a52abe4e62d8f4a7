package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.codec.StandardTools;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * For every codec: a snapshotter writes a real file, the codec's standard tool accepts it and
 * decompresses it to our container, and the file restores to equal state.
 */
class CodecSnapshotTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Codec.class)
    void theStandardToolReadsOurSnapshotAndItRestoresToEqualState(Codec codec) throws Exception {
        LoopWorkflow workflow = new LoopWorkflow(4, 5000, -1);
        Snapshotter snapshotter = Snapshotter.create(
                workflow,
                SnapshotSettings.builder()
                        .prefix("loop")
                        .directory(dir.toString())
                        .compression(codec)
                        .build());
        workflow.initialize();
        workflow.run();
        snapshotter.export();
        Path file = Path.of(snapshotter.destination());
        assertThat(file.getFileName().toString()).isEqualTo("loop_1" + codec.extension());

        if (codec != Codec.NONE) {
            StandardTools.assertToolAccepts(codec, file);
            byte[] container = StandardTools.decompressWithTool(codec, file);
            try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(container), "tool output")) {
                assertThat(reader.codec()).isEqualTo(Codec.NONE);
                reader.verify();
            }
        }
        try (SnapshotReader reader = Snapshots.open(file.toString())) {
            assertThat(reader.codec()).isEqualTo(codec);
            LoopWorkflow restored = Snapshots.restore(reader, LoopWorkflow.class, List.of());
            assertThat(restored.state()).isEqualTo(workflow.state());
        }
        assertThat(Files.size(file)).isPositive();
    }
}
