package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedEnum;
import io.veles.pickle.SavedGraph;
import io.veles.pickle.SavedObject;
import io.veles.snapshot.Snapshots;
import io.veles.testing.golden.GoldenChainWorkflow;
import io.veles.testing.golden.GoldenChainWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Every build restores the golden differential chains of formats 2, 3 and 4 (each a standalone
 * snapshot and one differential against it) to the state they were taken of. The files are never
 * regenerated: when this test fails, the reader is wrong.
 */
class GoldenChainTest {
    @TempDir
    Path dir;

    private void copy(String format, String file) throws IOException {
        try (InputStream in = GoldenChainTest.class.getResourceAsStream("/golden/" + format + "/" + file)) {
            assertThat(in).as(file).isNotNull();
            Files.copy(in, dir.resolve(file));
        }
    }

    private void copyChain(String format) throws IOException {
        copy(format, "chain_1.gz");
        copy(format, "chain_2.gz");
    }

    @ParameterizedTest
    @ValueSource(strings = {"format-2", "format-3", "format-4", "format-5"})
    void theGoldenChainRestoresToItsDigests(String format) throws IOException {
        List<String> lines =
                Files.readAllLines(Path.of("src/test/resources/golden", format, GoldenChainWriter.DIGESTS_FILE));
        copyChain(format);
        int checked = 0;
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" ");
            GoldenChainWorkflow restored = restored(dir.resolve(parts[0]));
            assertThat(restored.digest())
                    .as(format + "/" + parts[0] + ": golden files are never regenerated; fix the reader")
                    .isEqualTo(parts[1]);
            checked++;
        }
        assertThat(checked).isEqualTo(2);
        try (SnapshotReader reader = Snapshots.openFile(dir.resolve("chain_2.gz"))) {
            assertThat(reader.manifest().base).isEqualTo("chain_1.gz");
            assertThat(Files.size(dir.resolve("chain_2.gz")) * 4).isLessThan(Files.size(dir.resolve("chain_1.gz")));
            reader.verify();
        }
    }

    /**
     * The end point's gate is the model's pause cell negated ({@code GoldenChainWorkflow}): each
     * format's chain restores it as an expression over that very cell, and reads it as data with
     * the same fields in the same order, whether the cells were written field by field (formats 2
     * and 3) or in a byte each (format 4).
     */
    @ParameterizedTest
    @ValueSource(strings = {"format-2", "format-3", "format-4", "format-5"})
    void gatesComeBackWiredToTheirCells(String format) throws IOException {
        copyChain(format);
        Path last = dir.resolve("chain_2.gz");
        GoldenChainWorkflow restored = restored(last);
        assertThat(restored.endPoint().gateBlock()).hasToString("!(true)");
        assertThat(restored.endPoint().gateBlock().get()).isFalse();
        assertThat(restored.model.gateBlock().isSettable()).isTrue();

        SavedGraph saved;
        try (SnapshotReader reader = Snapshots.openFile(last)) {
            saved = reader.readSaved(RestoreRules.forWorkflow(GoldenChainWorkflow.class));
        }
        SavedObject model = unit(saved, "model");
        SavedObject gate = (SavedObject) unit(saved, "end").fields().get("gateBlock");
        assertThat(gate.fields()).containsOnlyKeys("op", "left", "right", "value");
        assertThat(List.copyOf(gate.fields().keySet())).containsExactly("op", "left", "right", "value");
        assertThat(gate.fields().get("op")).isEqualTo(new SavedEnum("io.veles.workflow.Bool$Op", "NOT"));
        assertThat(gate.fields().get("left")).isSameAs(model.fields().get("pause"));
        assertThat(gate.fields().get("right")).isNull();
        assertThat(gate.fields().get("value")).isEqualTo(false);
        SavedObject pause = (SavedObject) model.fields().get("pause");
        assertThat(pause.fields().get("op")).isEqualTo(new SavedEnum("io.veles.workflow.Bool$Op", "VALUE"));
        assertThat(pause.fields().get("value")).isEqualTo(true);
    }

    /**
     * A conversion copies the payload as it is, so the copy keeps the version that says how that
     * payload was written: a format 3 copy read as format 4 would take its cells for bytes of the
     * new layout. Formats 2 and 3 wrote the same payload, and their copies are format 3.
     */
    @ParameterizedTest
    @CsvSource({"format-2, 3", "format-3, 3", "format-4, 4", "format-5, 5"})
    void aConvertedCopyKeepsItsPayloadsVersion(String format, int copied) throws IOException {
        copyChain(format);
        Path copy = dir.resolve("copy.zst");
        try (SnapshotReader reader = Snapshots.openFile(dir.resolve("chain_2.gz"));
                java.io.OutputStream out = Files.newOutputStream(copy)) {
            reader.transcode(io.veles.snapshot.codec.Codec.ZSTD, -1, null, out);
        }
        try (SnapshotReader reader = Snapshots.openFile(copy)) {
            assertThat(reader.formatVersion()).isEqualTo(copied);
        }
        GoldenChainWorkflow restored = restored(copy);
        String digest = Files.readAllLines(Path.of("src/test/resources/golden", format, GoldenChainWriter.DIGESTS_FILE))
                .get(2)
                .split(" ")[1];
        assertThat(restored.digest()).isEqualTo(digest);
        assertThat(restored.endPoint().gateBlock()).hasToString("!(true)");
    }

    private static GoldenChainWorkflow restored(Path snapshot) {
        return Snapshots.restore(
                        snapshot.toString(),
                        GoldenChainWorkflow.class,
                        RestoreRules.forWorkflow(GoldenChainWorkflow.class),
                        null)
                .workflow();
    }

    private static SavedObject unit(SavedGraph saved, String name) {
        return saved.units().stream()
                .filter(unit -> name.equals(unit.name()))
                .findFirst()
                .orElseThrow();
    }

    /**
     * The units' shares, exactly as format 2's reader showed them (build 66362e9), and format 3's
     * chain of the same states likewise. The workflow's own share is a byte smaller in format 3:
     * its class name, 43 characters, is written as ASCII with its last byte marked, where the
     * writer of format 2's chain still wrote names over 32 characters with their length. Format 4
     * writes a cell in a byte where format 3 took about ten (its operation's class and name, two
     * null operands): 18 bytes less for a unit's two settable gates, and the workflow's share
     * no longer names the operation's class ({@code io.veles.workflow.Bool$Op}). Format 5 writes
     * format 4's payload (its manifest gained {@code genericFields}).
     */
    @ParameterizedTest
    @CsvSource({
        "format-2, 417, 52, 61, 65, 277792",
        "format-3, 416, 52, 61, 65, 277792",
        "format-4, 373, 34, 35, 47, 277774",
        "format-5, 373, 34, 35, 47, 277774"
    })
    void theUnitSharesAreThoseTheirFormatShowed(
            String format, long workflowBytes, long startBytes, long endBytes, long repeaterBytes, long modelBytes)
            throws IOException {
        copyChain(format);
        try (SnapshotReader reader = Snapshots.openFile(dir.resolve("chain_2.gz"))) {
            assertThat(reader.unitShares())
                    .containsExactly(
                            new SnapshotReader.UnitShare("golden_chain", workflowBytes, 0),
                            new SnapshotReader.UnitShare("start", startBytes, 0),
                            new SnapshotReader.UnitShare("end", endBytes, 0),
                            new SnapshotReader.UnitShare("repeater", repeaterBytes, 0),
                            new SnapshotReader.UnitShare("model", modelBytes, 1_884_973));
        }
    }

    /**
     * The shares above place the units after the logical container's manifest, as long as its
     * writer made it: a list of objects in format 2, columns in format 3. Taking the wrong shape
     * shifts every unit's range by the difference, which shows in the shares only where a range
     * meets a stored block's edge, so the length is compared with the assembled container's own.
     */
    @ParameterizedTest
    @ValueSource(strings = {"format-2", "format-3", "format-4", "format-5"})
    void theLogicalManifestIsAsLongAsItsWriterMadeIt(String format) throws IOException {
        copyChain(format);
        int computed;
        try (SnapshotReader reader = Snapshots.openFile(dir.resolve("chain_2.gz"))) {
            computed = reader.logicalManifestLength();
        }
        try (SnapshotReader reader = Snapshots.openFile(dir.resolve("chain_2.gz"))) {
            SnapshotReader logical = reader.logical(); // closed with the reader
            assertThat(computed).isEqualTo(logical.manifestLength());
            assertThat(logical.formatVersion()).isEqualTo(Integer.parseInt(format.substring("format-".length())));
            assertThat(reader.formatVersion()).isEqualTo(logical.formatVersion());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"format-2", "format-3", "format-4", "format-5"})
    void aWalkStartsWithTheHeaderBytesOpenRead(String format) throws IOException {
        copyChain(format);
        for (String file : List.of("chain_1.gz", "chain_2.gz")) {
            byte[] decoded;
            try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(dir.resolve(file)))) {
                decoded = in.readAllBytes();
            }
            try (SnapshotReader reader = Snapshots.openFile(dir.resolve(file))) {
                java.io.ByteArrayOutputStream walked = new java.io.ByteArrayOutputStream();
                long[] firstLength = {-1};
                reader.walk((offset, bytes, from, length) -> {
                    assertThat(offset).isEqualTo(walked.size());
                    if (firstLength[0] < 0) {
                        firstLength[0] = length;
                    }
                    walked.write(bytes, from, length);
                });
                assertThat(firstLength[0]).as(file).isEqualTo(reader.headerLength());
                assertThat(walked.toByteArray()).as(file).isEqualTo(decoded);
            }
        }
    }
}
