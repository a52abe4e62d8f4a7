package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.veles.errors.CorruptSnapshotException;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.testing.FreshJvm;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/** Snapshot files of format 3 list their units in columns; a reader refuses columns that do not fit in one line. */
class UnitColumnsInFilesTest {
    private static byte[] snapshot(Manifest[] written) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        written[0] = SnapshotWriter.write(
                new LoopWorkflow(2, 3, -1), Manifest.builder().name("loop_1").build(), Codec.NONE, -1, out);
        return out.toByteArray();
    }

    /** The header's version and the manifest's JSON, as the file holds them. */
    private static JsonNode manifestJson(byte[] snapshot, int[] version) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
        in.skipNBytes(SnapshotFormat.MAGIC.length);
        version[0] = in.readUnsignedShort();
        in.readUnsignedShort(); // flags
        return SnapshotWriter.JSON_BEFORE_COLUMNS.readTree(in.readNBytes(in.readInt()));
    }

    @Test
    void aSnapshotListsItsUnitsInColumnsAndReadsThemBack() throws IOException {
        Manifest[] written = new Manifest[1];
        byte[] snapshot = snapshot(written);
        int[] version = new int[1];
        JsonNode units = manifestJson(snapshot, version).get("units");

        assertThat(version[0]).isEqualTo(SnapshotFormat.VERSION).isGreaterThanOrEqualTo(3);
        assertThat(units.isObject()).as("%s", units).isTrue();
        assertThat(units.get("names")).hasSize(written[0].units.size());
        assertThat(units.get("typeNames").size())
                .as("each class named once")
                .isEqualTo(written[0].units.stream()
                        .map(unit -> unit.type())
                        .distinct()
                        .count());
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "loop_1")) {
            assertThat(reader.manifest().units).isEqualTo(written[0].units);
        }
    }

    @Test
    void columnsThatDoNotFitAreRefusedInOneLineNamingTheSnapshot() throws IOException {
        String manifest =
                "{\"name\":\"x\",\"payloadBytes\":0,\"units\":{\"names\":[\"w\"],\"typeNames\":[\"io.x.Flow\"],"
                        + "\"typeIndexes\":[3],\"bytes\":[0]}}";
        assertThatThrownBy(() -> SnapshotReader.open(new ByteArrayInputStream(header(manifest)), "crafted.snap"))
                .isExactlyInstanceOf(CorruptSnapshotException.class)
                .hasMessage("crafted.snap is corrupt: its manifest's units are invalid:"
                        + " unit 0 has class index 3, but 1 classes are named");
    }

    /**
     * Columns can claim hundreds of thousands of units in a few MiB (and a compressed file of a
     * few KiB can hold them). In a JVM of 64 MiB, 800,000 units named "a" would take about 100 MiB
     * as read, and the reader ran out of heap; now they are refused while they are read, and a
     * list of a size the heap holds is read there as before.
     */
    @Tag("slow")
    @Test
    void unitsThatWouldFillTheHeapAreRefusedWhileTheyAreRead(@TempDir Path dir) throws Exception {
        Path many = dir.resolve("many.snap");
        Files.write(many, header(manifestOf(800_000)));
        Path some = dir.resolve("some.snap");
        Files.write(some, header(manifestOf(50_000)));

        List<String> output =
                FreshJvm.run(List.of("-Xmx64m"), null, UnitColumnsInFilesTest.class, many.toString(), some.toString());
        assertThat(output)
                .as("%s", output)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("REFUSED " + many + " cannot be read: its manifest's units would take more than ")
                        .endsWith(" as read, half of this JVM's heap; read it with a larger -Xmx"))
                .contains("OPENED " + some + " 50000");
    }

    /** A manifest listing {@code count} units named "a" of one class, in columns, the names last. */
    private static String manifestOf(int count) {
        return "{\"name\":\"x\",\"workflowClass\":\"io.x.W\",\"units\":{\"typeNames\":[\"io.x.Unit\"],\"typeIndexes\":[0"
                + ",0".repeat(count - 1) + "],\"bytes\":[0" + ",0".repeat(count - 1) + "],\"names\":[\"a\""
                + ",\"a\"".repeat(count - 1) + "]}}";
    }

    /** In a child JVM: opens each snapshot file named in {@code args} and prints the outcome. */
    public static void main(String[] args) {
        for (String file : args) {
            try (SnapshotReader reader = Snapshots.openFile(Path.of(file))) {
                System.out.println(
                        "OPENED " + file + " " + reader.manifest().units.size());
            } catch (RuntimeException | IOException e) {
                System.out.println("REFUSED " + e.getMessage());
            }
        }
    }

    /** A header of format 3 holding {@code manifest}, its checksum right: all a reader takes in before the manifest's JSON. */
    static byte[] header(String manifest) throws IOException {
        byte[] json = manifest.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(SnapshotFormat.MAGIC);
        out.writeShort(SnapshotFormat.VERSION);
        out.writeShort(0);
        out.writeInt(json.length);
        out.write(json);
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.writeLong(0);
        return bytes.toByteArray();
    }
}
