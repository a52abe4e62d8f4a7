package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A manifest never changes once handed out: writers and readers give copies. */
class ManifestTest {
    private static byte[] snapshot(Manifest manifest) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(new LoopWorkflow(1, 2, -1), manifest, Codec.NONE, -1, out);
        return out.toByteArray();
    }

    @Test
    void theWriterCompletesACopyAndLeavesTheCallersManifestAsItWas() throws Exception {
        Manifest given = Manifest.builder().name("loop_1").info("note", "kept").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifest written = SnapshotWriter.write(new LoopWorkflow(1, 2, -1), given, Codec.NONE, -1, out);

        assertThat(given.payloadBytes).isZero();
        assertThat(given.units).isEmpty();
        assertThat(written.name).isEqualTo("loop_1");
        assertThat(written.payloadBytes).isPositive();
        assertThat(written.info).containsEntry("note", "kept");
        assertThatThrownBy(() -> written.info.put("note", "changed")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> written.units.clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void transcodingReturnsTheNewManifestAndLeavesTheOneReadUnchanged() throws Exception {
        byte[] bytes = snapshot(Manifest.builder().name("loop_1").build());
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(bytes), "snap")) {
            Manifest read = reader.manifest();
            Manifest converted = reader.transcode(Codec.GZIP, 1, null, new ByteArrayOutputStream());

            assertThat(read.codec).isEqualTo(Codec.NONE.argument());
            assertThat(reader.manifest()).isSameAs(read);
            assertThat(converted.codec).isEqualTo(Codec.GZIP.argument());
            assertThat(converted.level).isEqualTo(1);
            assertThat(converted.payloadBytes).isEqualTo(read.payloadBytes);
        }
    }

    @Test
    void jsonWithoutListsOrInfoReadsAsEmptyAndUnknownPropertiesAreIgnored() throws Exception {
        Manifest read = SnapshotWriter.JSON.readValue(
                "{\"name\":\"old\",\"level\":3,\"later\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8), Manifest.class);

        assertThat(read.name).isEqualTo("old");
        assertThat(read.level).isEqualTo(3);
        assertThat(read.filters).isEmpty();
        assertThat(read.units).isEmpty();
        assertThat(read.info).isEmpty();
        assertThat(SnapshotWriter.JSON.writeValueAsString(read.toBuilder().build()))
                .isEqualTo(SnapshotWriter.JSON.writeValueAsString(read));
    }
}
