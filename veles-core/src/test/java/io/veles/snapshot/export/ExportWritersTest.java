package io.veles.snapshot.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.errors.SnapshotException;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.testing.LoopWorkflow;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export writers' layouts, and a snapshot's arrays read through the spill equal to the workflow's. */
class ExportWritersTest {
    @TempDir
    Path dir;

    @Test
    void npyHeadersAreAlignedAndSayWhatNumpyExpects() {
        byte[] header = NpyHeader.of(Dtype.F32, new long[] {13, 8});
        assertThat(header.length % 64).isZero();
        assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
        String text = new String(header, 10, header.length - 10, StandardCharsets.US_ASCII).strip();
        assertThat(text).isEqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (13, 8), }");
        assertThat(new String(NpyHeader.of(Dtype.I8, new long[] {5}), StandardCharsets.US_ASCII)).contains("'shape': (5,)");
        assertThat((header[8] & 0xff) | (header[9] & 0xff) << 8).isEqualTo(header.length - 10);
    }

    @Test
    void globsMatchWholeNamesAndSeveralPatterns() {
        FieldGlob glob = new FieldGlob("fc1.*, *.bias");
        assertThat(glob.matches("fc1.weights")).isTrue();
        assertThat(glob.matches("softmax.bias")).isTrue();
        assertThat(glob.matches("softmax.weights")).isFalse();
        assertThat(new FieldGlob("fc?.weights").matches("fc12.weights")).isFalse();
        assertThat(new FieldGlob("a(b)+.c").matches("a(b)+.c")).isTrue(); // regex characters are literal
    }

    @Test
    void safetensorsHeaderIsPaddedAndItsOffsetsCoverTheBuffer() throws Exception {
        List<ExportedArray> arrays = List.of(MemoryArrays.ofJava("a.x", new float[] {1, 2, 3}, new long[] {3}),
                MemoryArrays.ofJava("b.y", new double[] {4, 5, 6, 7}, new long[] {2, 2}));
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter().write(arrays, new ExportMetadata(Map.of("a.n", "3"), "{\"name\":\"t\"}"), file);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        assertThat(header.get("__metadata__").get("a.n").asText()).isEqualTo("3");
        assertThat(header.get("__metadata__").get("veles.manifest").asText()).isEqualTo("{\"name\":\"t\"}");
        assertThat(header.get("a.x").toString()).isEqualTo("{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}");
        assertThat(header.get("b.y").toString()).isEqualTo("{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[12,44]}");
        assertThat(bytes.length).isEqualTo(8 + n + 44);
        assertThat(ByteBuffer.wrap(bytes, (int) (8 + n + 12), 8).order(ByteOrder.LITTLE_ENDIAN).getDouble()).isEqualTo(4.0);
    }

    /** Where an npy file's data starts: after the magic, version, header length and header. */
    private static int dataOffset(byte[] npy) {
        return 10 + ((npy[8] & 0xff) | (npy[9] & 0xff) << 8);
    }

    @Test
    void npzEntriesAreStoredWithTheirChecksums() throws Exception {
        Path file = dir.resolve("t.npz");
        new NpzWriter().write(List.of(MemoryArrays.ofJava("u.v", new int[] {7, 8}, new long[] {2})),
                new ExportMetadata(Map.of(), null), file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("u.v.npy");
            assertThat(entry.getMethod()).isEqualTo(ZipEntry.STORED);
            byte[] content = zip.getInputStream(entry).readAllBytes(); // checks the CRC
            assertThat(content).hasSize(dataOffset(content) + 8);
            assertThat(dataOffset(content) % 64).isZero();
            assertThat(zip.getEntry(NpzWriter.METADATA_ENTRY)).isNotNull();
        }
    }

    @Test
    void aSnapshotsArraysComeThroughTheSpillAsTheWorkflowHasThem() throws Exception {
        LoopWorkflow workflow = new LoopWorkflow(3, 1000, -1);
        workflow.initialize();
        workflow.run();
        Path snapshot = dir.resolve("loop.gz");
        try (OutputStream out = Files.newOutputStream(snapshot)) {
            SnapshotWriter.write(workflow, new Manifest(), Codec.GZIP, 1, out);
        }
        SnapshotExport.Result result = SnapshotExport.export(snapshot.toString(), ExportFormat.NPZ,
                dir.resolve("loop.npz"), "accumulate.sums", false, LoopWorkflow.class.getClassLoader());
        assertThat(result.arrays()).extracting(ExportedArray::name).containsExactly("accumulate.sums");
        try (ZipFile zip = new ZipFile(dir.resolve("loop.npz").toFile())) {
            byte[] npy = zip.getInputStream(zip.getEntry("accumulate.sums.npy")).readAllBytes();
            int offset = dataOffset(npy);
            double[] sums = new double[(npy.length - offset) / Double.BYTES];
            ByteBuffer.wrap(npy, offset, npy.length - offset).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(sums);
            assertThat(sums.length).isEqualTo(1000);
            // bit for bit: Double.toString tells every double apart
            assertThat(workflow.state().contains(" sums=" + java.util.Arrays.toString(sums) + " ")).isTrue();
        }
        try (Stream<Path> files = Files.list(dir)) { // the spill file is gone
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("loop.gz", "loop.npz");
        }
        assertThatThrownBy(() -> SnapshotExport.export(snapshot.toString(), ExportFormat.NPZ, dir.resolve("loop.npz"),
                null, false, LoopWorkflow.class.getClassLoader())).isInstanceOf(SnapshotException.class)
                .hasMessageContaining("exists; --force replaces it");
    }
}
