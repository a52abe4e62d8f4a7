package io.veles.snapshot.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.errors.SnapshotException;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.testing.LoopWorkflow;
import io.veles.workflow.ArrayShape;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

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
        assertThat(new String(NpyHeader.of(Dtype.I8, new long[] {5}), StandardCharsets.US_ASCII))
                .contains("'shape': (5,)");
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
        assertThat(new FieldGlob("*a*b").matches("xaxxbxb")).isTrue(); // the last '*' takes what is left
        assertThat(new FieldGlob("*a*b").matches("xaxxbx")).isFalse();
        assertThat(new FieldGlob("a**").matches("a")).isTrue();
        assertThat(new FieldGlob("").matches("")).isTrue();
        assertThat(new FieldGlob("fc?.weights").matches("fc\uD83D\uDE00.weights"))
                .isTrue(); // one character, two chars
    }

    /**
     * A snapshot's name of 200,000 dots against globs of several stars: a regular expression of
     * {@code .*} groups backtracked for minutes; the wildcard walk answers at once. (A bound on
     * hanging, not a measure of speed: it takes milliseconds.)
     */
    @Test
    void aLongNameDoesNotMakeAGlobBacktrack() {
        String dots = ".".repeat(200_000);
        FieldGlob glob = new FieldGlob("*.*.weights, *.*.*.*.bias");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20),
                () -> assertThat(glob.matches(dots)).isFalse());
        assertThat(glob.matches(dots + "weights")).isTrue();
    }

    @Test
    void safetensorsHeaderIsPaddedAndItsOffsetsCoverTheBuffer() throws Exception {
        List<ExportedArray> arrays = List.of(
                MemoryArrays.ofJava("a.x", new float[] {1, 2, 3}, new long[] {3}),
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
        assertThat(header.get("b.y").toString())
                .isEqualTo("{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[12,44]}");
        assertThat(bytes.length).isEqualTo(8 + n + 44);
        assertThat(ByteBuffer.wrap(bytes, (int) (8 + n + 12), 8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getDouble())
                .isEqualTo(4.0);
    }

    /** Where an npy file's data starts: after the magic, version, header length and header. */
    private static int dataOffset(byte[] npy) {
        return 10 + ((npy[8] & 0xff) | (npy[9] & 0xff) << 8);
    }

    /** The data of array {@code name} of an npz, little-endian as written. */
    private static ByteBuffer npzData(Path npz, String name) throws IOException {
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            byte[] npy = zip.getInputStream(zip.getEntry(name + ".npy")).readAllBytes();
            int offset = dataOffset(npy);
            return ByteBuffer.wrap(npy, offset, npy.length - offset).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Test
    void npzEntriesAreStoredWithTheirChecksums() throws Exception {
        Path file = dir.resolve("t.npz");
        new NpzWriter()
                .write(
                        List.of(MemoryArrays.ofJava("u.v", new int[] {7, 8}, new long[] {2})),
                        new ExportMetadata(Map.of(), null),
                        file);
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
        SnapshotExport.Result result = SnapshotExport.export(
                snapshot.toString(),
                ExportFormat.NPZ,
                dir.resolve("loop.npz"),
                "accumulate.sums",
                false,
                LoopWorkflow.class.getClassLoader());
        assertThat(result.arrays()).extracting(ExportedArray::name).containsExactly("accumulate.sums");
        java.nio.DoubleBuffer data =
                npzData(dir.resolve("loop.npz"), "accumulate.sums").asDoubleBuffer();
        double[] sums = new double[data.remaining()];
        data.get(sums);
        assertThat(sums.length).isEqualTo(1000);
        // bit for bit: Double.toString tells every double apart
        assertThat(workflow.state().contains(" sums=" + java.util.Arrays.toString(sums) + " "))
                .isTrue();
        try (Stream<Path> files = Files.list(dir)) { // the spill file is gone
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("loop.gz", "loop.npz");
        }
        assertThatThrownBy(() -> SnapshotExport.export(
                        snapshot.toString(),
                        ExportFormat.NPZ,
                        dir.resolve("loop.npz"),
                        null,
                        false,
                        LoopWorkflow.class.getClassLoader()))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("exists; --force replaces it");
        // Not even with --force over a snapshot, the one exported included, or a link to one.
        byte[] bytes = Files.readAllBytes(snapshot);
        assertThatThrownBy(() -> SnapshotExport.export(
                        snapshot.toString(),
                        ExportFormat.NPZ,
                        snapshot,
                        null,
                        true,
                        LoopWorkflow.class.getClassLoader()))
                .isInstanceOf(SnapshotException.class)
                .hasMessage(snapshot + " is a snapshot; not replaced, even with --force");
        assertThat(Files.readAllBytes(snapshot)).isEqualTo(bytes);
        Path link = Files.createSymbolicLink(dir.resolve("loop_current.gz"), snapshot.getFileName());
        assertThatThrownBy(() -> SnapshotExport.export(
                        snapshot.toString(), ExportFormat.NPZ, link, null, true, LoopWorkflow.class.getClassLoader()))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining(
                        "is a symbolic link (a snapshot's _current link?); not replaced, even with --force");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aFortranOrderHeaderIsWrittenForAnArrayStoredTransposed() {
        ExportedArray stored = MemoryArrays.ofJavaTransposed("fc.weights", new float[6], new long[] {2, 3});
        String text = new String(NpyHeader.of(stored), StandardCharsets.US_ASCII).strip();
        assertThat(text).endsWith("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }");
        assertThat(NpyHeader.data(stored)).isSameAs(stored.columnMajor());
    }

    /** Rows × cols × width: whole output rows per tile (the last one short), and output rows longer than a tile. */
    @Test
    void theTransposeIsStreamedATileAtATimeWhateverTheShape() throws Exception {
        long[][] matrices = {
            {3, 5, 4}, {3000, 1000, 8}, {TransposedBytes.TILE + 5, 3, 1}, {1, 7, 2}, {7, 1, 4}, {0, 4, 4}
        };
        Random random = new Random(18);
        for (long[] matrix : matrices) {
            int rows = (int) matrix[0];
            int cols = (int) matrix[1];
            int width = (int) matrix[2];
            byte[] stored = new byte[rows * cols * width];
            random.nextBytes(stored);
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length);
            new TransposedBytes(
                            (offset, into, at, count) -> System.arraycopy(stored, (int) offset, into, at, count),
                            rows,
                            cols,
                            width)
                    .writeTo(out);
            byte[] transposed = out.toByteArray();
            assertThat(transposed).as("%d x %d", rows, cols).hasSize(stored.length);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    for (int b = 0; b < width; b++) {
                        if (transposed[(c * rows + r) * width + b] != stored[(r * cols + c) * width + b]) {
                            throw new AssertionError(rows + " x " + cols + ": element " + r + ", " + c + " differs");
                        }
                    }
                }
            }
        }
    }

    @Test
    void anInMemoryArrayStoredTransposedIsWrittenTransposed() throws Exception {
        ExportedArray array = MemoryArrays.ofJavaTransposed("m", new short[] {1, 2, 3, 4, 5, 6}, new long[] {3, 2});
        ByteArrayOutputStream rowMajor = new ByteArrayOutputStream();
        array.bytes().writeTo(rowMajor);
        ByteArrayOutputStream columnMajor = new ByteArrayOutputStream();
        array.columnMajor().writeTo(columnMajor);
        assertThat(shorts(rowMajor.toByteArray())).containsExactly(1, 4, 2, 5, 3, 6); // stored 2 x 3, exported 3 x 2
        assertThat(shorts(columnMajor.toByteArray())).containsExactly(1, 2, 3, 4, 5, 6);
    }

    private static short[] shorts(byte[] bytes) {
        short[] values = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(values);
        return values;
    }

    /**
     * A matrix stored rows × columns and declared transposed, through a snapshot and the spill: npy
     * says Fortran order over the stored bytes, safetensors holds the transposed values.
     */
    @Test
    void aMatrixStoredTransposedExportsAsItsTransposeInEachFormat() throws Exception {
        MatrixWorkflow workflow = new MatrixWorkflow();
        Path snapshot = dir.resolve("matrix.gz");
        try (OutputStream out = Files.newOutputStream(snapshot)) {
            SnapshotWriter.write(workflow, new Manifest(), Codec.GZIP, 1, out);
        }
        double[] stored = workflow.matrix.values;
        ByteBuffer storedBytes = ByteBuffer.allocate(stored.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        storedBytes.asDoubleBuffer().put(stored);
        ByteBuffer transposed = ByteBuffer.allocate(stored.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < Matrix.COLUMNS; c++) {
            for (int r = 0; r < Matrix.ROWS; r++) {
                transposed.putDouble(stored[r * Matrix.COLUMNS + c]);
            }
        }
        ClassLoader loader = MatrixWorkflow.class.getClassLoader();
        SnapshotExport.Result result = SnapshotExport.export(
                snapshot.toString(), ExportFormat.NPZ, dir.resolve("m.npz"), "matrix.values", false, loader);
        assertThat(result.arrays().get(0).shapeText()).isEqualTo("(300, 200)");
        try (ZipFile zip = new ZipFile(dir.resolve("m.npz").toFile())) {
            byte[] npy = zip.getInputStream(zip.getEntry("matrix.values.npy")).readAllBytes();
            assertThat(new String(npy, 0, dataOffset(npy), StandardCharsets.US_ASCII))
                    .contains("'fortran_order': True, 'shape': (300, 200)");
            assertThat(Arrays.copyOfRange(npy, dataOffset(npy), npy.length)).isEqualTo(storedBytes.array());
        }
        SnapshotExport.export(
                snapshot.toString(), ExportFormat.NPY, dir.resolve("m-npy"), "matrix.values", false, loader);
        byte[] npy = Files.readAllBytes(dir.resolve("m-npy").resolve("matrix.values.npy"));
        assertThat(new String(npy, 0, dataOffset(npy), StandardCharsets.US_ASCII))
                .contains("'fortran_order': True");
        assertThat(Arrays.copyOfRange(npy, dataOffset(npy), npy.length)).isEqualTo(storedBytes.array());

        SnapshotExport.export(
                snapshot.toString(),
                ExportFormat.SAFETENSORS,
                dir.resolve("m.safetensors"),
                "matrix.values",
                false,
                loader);
        byte[] bytes = Files.readAllBytes(dir.resolve("m.safetensors"));
        int n = (int)
                ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, n, StandardCharsets.UTF_8));
        assertThat(header.get("matrix.values").get("shape").toString()).isEqualTo("[300,200]");
        assertThat(Arrays.copyOfRange(bytes, 8 + n, bytes.length)).isEqualTo(transposed.array());
    }

    /** A workflow of one matrix, for the transposed export. */
    public static final class MatrixWorkflow extends Workflow {
        final Matrix matrix;

        MatrixWorkflow() {
            super("matrices");
            matrix = new Matrix(this);
        }
    }

    /** Stored rows × columns, as a layer computing {@code input · values} would keep it; exported columns × rows. */
    public static final class Matrix extends Unit {
        static final int ROWS = 200;
        static final int COLUMNS = 300;
        final int rows = ROWS;
        final int columns = COLUMNS;

        @ArrayShape(
                value = {"columns", "rows"},
                storedTransposed = true)
        double[] values = new double[ROWS * COLUMNS];

        Matrix(Workflow workflow) {
            super(workflow, "matrix");
            Random random = new Random(7);
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian();
            }
        }

        @Override
        public void run() {}
    }

    /** A unit carrying any object, for a state shaped by the test. */
    static final class Carrier extends io.veles.workflow.Unit {
        Object cargo;

        Carrier(io.veles.workflow.Workflow workflow) {
            super(workflow, "carrier");
        }

        @Override
        public void run() {}
    }

    public static final class CarrierWorkflow extends io.veles.workflow.Workflow {
        final Carrier carrier = new Carrier(this);

        public CarrierWorkflow() {
            super("carrier");
        }
    }

    /**
     * Four levels of lists, each holding the next a hundred times, then a shared float[2]: a few
     * kilobytes that reach 10^8 paths, each exported under its own name until the heap filled.
     */
    @Test
    void aStateSharedManyTimesOverIsRefusedBeforeFillingTheHeap() throws Exception {
        Object level = new float[] {1, 2};
        for (int i = 0; i < 4; i++) {
            level = new java.util.ArrayList<>(java.util.Collections.nCopies(100, level));
        }
        CarrierWorkflow workflow = new CarrierWorkflow();
        workflow.carrier.cargo = level;
        Path snapshot = dir.resolve("shared.gz");
        try (OutputStream out = Files.newOutputStream(snapshot)) {
            SnapshotWriter.write(workflow, new Manifest(), Codec.GZIP, 1, out);
        }
        assertThat(Files.size(snapshot)).isLessThan(64 << 10);
        assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(60),
                        () -> SnapshotExport.export(
                                snapshot.toString(),
                                ExportFormat.NPZ,
                                dir.resolve("shared.npz"),
                                null,
                                false,
                                CarrierWorkflow.class.getClassLoader())))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("cannot export: the state reaches more than 2000000 values");
        assertThat(dir.resolve("shared.npz")).doesNotExist();
    }

    private List<String> exportedNames(Object cargo, String file) throws Exception {
        CarrierWorkflow workflow = new CarrierWorkflow();
        workflow.carrier.cargo = cargo;
        Path snapshot = dir.resolve(file + ".gz");
        try (OutputStream out = Files.newOutputStream(snapshot)) {
            SnapshotWriter.write(workflow, new Manifest(), Codec.GZIP, 1, out);
        }
        SnapshotExport.Result result = SnapshotExport.export(
                snapshot.toString(),
                ExportFormat.NPZ,
                dir.resolve(file + ".npz"),
                "*.cargo*",
                false,
                CarrierWorkflow.class.getClassLoader());
        return result.arrays().stream().map(ExportedArray::name).toList();
    }

    private float[] exportedFloats(String file, String name) throws Exception {
        java.nio.FloatBuffer data = npzData(dir.resolve(file + ".npz"), name).asFloatBuffer();
        float[] values = new float[data.remaining()];
        data.get(values);
        return values;
    }

    /**
     * Arrays of arrays of arrays: each innermost array is exported, as a 2-D array's rows are (the
     * workflow is named as its unit, which is therefore {@code carrier#2}).
     */
    @Test
    void everyInnermostArrayOfANestedArrayIsExported() throws Exception {
        float[][][] three = {{{1f, 2f}}, {{3f}, null}};
        assertThat(exportedNames(three, "three")).containsExactly("carrier#2.cargo.0.0", "carrier#2.cargo.1.0");
        assertThat(exportedFloats("three", "carrier#2.cargo.0.0")).containsExactly(1f, 2f);
        assertThat(exportedFloats("three", "carrier#2.cargo.1.0")).containsExactly(3f);

        int[][][][] four = {{{{7, 8}}}};
        assertThat(exportedNames(four, "four")).containsExactly("carrier#2.cargo.0.0.0");
    }

    enum Part {
        ENCODER
    }

    record Key(int id) {}

    /** The arrays a map holds are exported under their keys, or positions when the keys are objects. */
    @Test
    void theArraysOfAMapAreExportedByKey() throws Exception {
        java.util.Map<Object, Object> byKey = new java.util.LinkedHashMap<>();
        byKey.put("k", new float[] {7f, 8f});
        byKey.put(Part.ENCODER, new float[] {9f});
        byKey.put("scalar", 1.5f); // not an array: left out, as in lists
        byKey.put(new Key(1), new float[] {4f});
        byKey.put("nested", java.util.Map.of("inner", new float[] {5f}));
        assertThat(exportedNames(byKey, "map"))
                .containsExactly(
                        "carrier#2.cargo.k",
                        "carrier#2.cargo.ENCODER",
                        "carrier#2.cargo.3",
                        "carrier#2.cargo.nested.inner");
        assertThat(exportedFloats("map", "carrier#2.cargo.k")).containsExactly(7f, 8f);
        assertThat(exportedFloats("map", "carrier#2.cargo.3")).containsExactly(4f);
    }

    /**
     * One 4 MiB array held by 200 entries of a map would be written 200 times, under as many
     * names: 800 MiB from a small snapshot (a 51 KB one reached 80 GiB). Refused before anything
     * is written; an array held twice (tied weights) is still exported under both names.
     */
    @Test
    void anArraySharedByManyFieldsIsRefusedBeforeFillingTheDisk() throws Exception {
        float[] big = new float[1 << 20];
        java.util.Map<Object, Object> byKey = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            byKey.put("k" + i, big);
        }
        assertThatThrownBy(() -> exportedNames(byKey, "amplified"))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("cannot export: the state's arrays and text are shared by so many fields")
                .hasMessageEndingWith("distinct bytes in the snapshot: refused");
        assertThat(dir.resolve("amplified.npz")).doesNotExist();

        assertThat(exportedNames(java.util.List.of(big, big), "tied"))
                .containsExactly("carrier#2.cargo.0", "carrier#2.cargo.1");
    }

    /** A holder of text, for a string many objects share. */
    static final class Note {
        String text;

        Note(String text) {
            this.text = text;
        }
    }

    /** One 1 MiB string held by 100 objects would be written as 100 entries of metadata: refused as arrays are. */
    @Test
    void aStringSharedByManyFieldsIsRefusedToo() {
        String text = "x".repeat(1 << 20);
        java.util.List<Note> notes = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            notes.add(new Note(text));
        }
        assertThatThrownBy(() -> exportedNames(notes, "text"))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("cannot export: the state's arrays and text are shared by so many fields");
    }

    /**
     * Keys with unpaired surrogates (no UTF-8 of their own: both became "?" once encoded, and a
     * safetensors reader kept one of the two arrays) and a key of 70,000 characters (a zip entry
     * name has at most 65,535 bytes) give distinct, bounded names that every format writes.
     */
    @Test
    void namesWithoutUtf8OrTooLongForAFileAreMadeSafeAndKeptApart() throws Exception {
        java.util.Map<Object, Object> byKey = new java.util.LinkedHashMap<>();
        byKey.put("a\uD800", new float[] {1f});
        byKey.put("a\uDC00", new float[] {2f});
        byKey.put("long" + "y".repeat(70_000), new float[] {3f});
        List<String> names = exportedNames(byKey, "odd");
        assertThat(names).hasSize(3).doesNotHaveDuplicates();
        assertThat(names.subList(0, 2)).containsExactly("carrier#2.cargo.a_", "carrier#2.cargo.a_#2");
        assertThat(names.get(2)).startsWith("carrier#2.cargo.longyyy");
        assertThat(names.get(2).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(200);
        assertThat(exportedFloats("odd", "carrier#2.cargo.a_#2")).containsExactly(2f);
        for (ExportFormat format : new ExportFormat[] {ExportFormat.SAFETENSORS, ExportFormat.NPY}) {
            SnapshotExport.export(
                    dir.resolve("odd.gz").toString(),
                    format,
                    dir.resolve("odd-" + format),
                    null,
                    false,
                    CarrierWorkflow.class.getClassLoader());
        }
        assertThat(dir.resolve("odd-NPY").resolve("carrier#2.cargo.a_#2.npy")).exists();
    }
}
