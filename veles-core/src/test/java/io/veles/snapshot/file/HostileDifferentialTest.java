package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.CorruptSnapshotException;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.Snapshots;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.testing.LoopWorkflow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Differential snapshots made by hand to break the reader's promises: each is refused in one line
 * naming the file and the cause, before anything is deserialized, and a well-made one restores.
 * The base is a real standalone snapshot; the differential files reference it.
 */
class HostileDifferentialTest {
    @TempDir
    Path dir;

    private Manifest base;
    private long baseLength;

    /** Writes one record or more into a differential file's body. */
    @FunctionalInterface
    interface Body {
        void write(DataOutputStream data) throws IOException;
    }

    @BeforeEach
    void writeBase() throws IOException {
        LoopWorkflow workflow = new LoopWorkflow(3, 64, -1);
        workflow.initialize();
        workflow.run();
        try (OutputStream out = Files.newOutputStream(dir.resolve("loop_1"))) {
            base = SnapshotWriter.write(
                    workflow, Manifest.builder().name("loop_1").build(), Codec.NONE, -1, out);
        }
        baseLength = Files.size(dir.resolve("loop_1"));
    }

    private Manifest differential() {
        return base.toBuilder().base("loop_1").chain(List.of("loop_1")).build();
    }

    private Path craft(Manifest manifest, int version, int flags, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CrcOutputStream content = new CrcOutputStream(bytes, null);
        DataOutputStream data = new DataOutputStream(content);
        byte[] json = SnapshotWriter.JSON.writeValueAsBytes(manifest);
        data.write(SnapshotFormat.MAGIC);
        data.writeShort(version);
        data.writeShort(flags);
        data.writeInt(json.length);
        data.write(json);
        data.writeInt(content.crc());
        body.write(data);
        SnapshotWriter.writeTrailer(data, content);
        data.flush();
        Path file = dir.resolve("loop_2");
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private Path craft(Body body) throws IOException {
        return craft(differential(), SnapshotFormat.VERSION, SnapshotFormat.FLAG_DELTA, body);
    }

    private static void reference(DataOutputStream data, long length, int holder, long offset) throws IOException {
        data.writeByte(SnapshotFormat.RECORD_REFERENCE);
        data.writeInt((int) length);
        data.writeShort(holder);
        data.writeLong(offset);
    }

    private static void end(DataOutputStream data, long length) throws IOException {
        data.writeByte(SnapshotFormat.RECORD_END);
        data.writeLong(length);
    }

    private static void restore(Path file) {
        Snapshots.restore(file.toString(), LoopWorkflow.class, RestoreRules.forWorkflow(LoopWorkflow.class), null);
    }

    private static void assertRefused(Path file, String cause) {
        assertThatThrownBy(() -> restore(file))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("loop_2")
                .hasMessageContaining(cause)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aWellMadeDifferentialFileRestores() throws IOException {
        Path file = craft(data -> {
            reference(data, baseLength, 0, 0);
            end(data, baseLength);
        });
        restore(file);
    }

    /**
     * More records than blocks of at least 64 KiB make of the state: each would take a reference's
     * memory to assemble (millions of one-byte ones, a few MB of file, filled the heap).
     */
    @Test
    void moreBlocksThanTheStateHoldsAreRefusedBeforeAnyIsAssembled() throws IOException {
        Path file = craft(data -> {
            for (int i = 0; i < 1000; i++) {
                reference(data, 1, 0, 0);
            }
            end(data, 1000);
        });
        assertThatThrownBy(() -> restore(file))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("is corrupt: it has more than")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /**
     * Millions of one-byte records, stored and referenced in turn (42 MB here; far less
     * compressed): inspect refuses them as they come, in a JVM of 64 MiB, where a list of the
     * stored ranges ran out of heap.
     */
    @org.junit.jupiter.api.Tag("slow")
    @Test
    void millionsOfTinyRecordsAreCountedWithoutListingThem() throws Exception {
        int pairs = 2_000_000;
        Path file = craft(
                differential().toBuilder().payloadBytes(2L * pairs).build(),
                SnapshotFormat.VERSION,
                SnapshotFormat.FLAG_DELTA,
                data -> {
                    for (int i = 0; i < pairs; i++) {
                        data.writeByte(SnapshotFormat.RECORD_LITERAL);
                        data.writeInt(1);
                        data.writeByte(0);
                        reference(data, 1, 0, 0);
                    }
                    end(data, 2L * pairs);
                });
        List<String> output =
                io.veles.testing.FreshJvm.run(List.of("-Xmx64m"), null, HostileDifferentialTest.class, file.toString());
        assertThat(output)
                .as("%s", output)
                .anySatisfy(line -> assertThat(line).startsWith("FAILED ").contains("is corrupt: it has more than"));
    }

    /** In a child JVM: the unit shares of the differential file named in {@code args}. */
    public static void main(String[] args) throws IOException {
        try (SnapshotReader reader = SnapshotReader.open(Files.newInputStream(Path.of(args[0])), args[0])) {
            System.out.println("SHARES " + reader.unitShares().size());
        } catch (RuntimeException | Error e) {
            System.out.println("FAILED " + e);
        }
    }

    /** A chain naming one file twice (or a thousand times) would have it read once per mention. */
    @Test
    void aChainNamingAFileTwice() throws IOException {
        assertRefused(
                craft(
                        base.toBuilder()
                                .base("loop_1")
                                .chain(List.of("loop_1", "loop_1"))
                                .build(),
                        SnapshotFormat.VERSION,
                        SnapshotFormat.FLAG_DELTA,
                        data -> {
                            reference(data, baseLength, 1, 0);
                            end(data, baseLength);
                        }),
                "names a snapshot twice in its chain");
    }

    @Test
    void aReferenceToAHolderOutsideTheChain() throws IOException {
        assertRefused(
                craft(data -> {
                    reference(data, baseLength, 5, 0);
                    end(data, baseLength);
                }),
                "references holder 5");
    }

    @Test
    void aReferenceBeyondTheBasesBytes() throws IOException {
        assertRefused(
                craft(data -> {
                    reference(data, 100, 0, baseLength + 10);
                    end(data, 100);
                }),
                "does not hold the block it references");
    }

    @Test
    void overlappingReferences() throws IOException {
        assertRefused(
                craft(data -> {
                    reference(data, 100, 0, 0);
                    reference(data, 100, 0, 50);
                    end(data, 200);
                }),
                "overlapping blocks");
    }

    @Test
    void anEndRecordThatDisagreesWithTheBlocks() throws IOException {
        assertRefused(
                craft(data -> {
                    reference(data, baseLength, 0, 0);
                    end(data, baseLength + 1);
                }),
                "its end record says");
    }

    @Test
    void anUnknownRecordAndATruncatedOne() throws IOException {
        assertRefused(craft(data -> data.writeByte(7)), "unknown block record 7");
        assertRefused(craft(data -> data.writeByte(SnapshotFormat.RECORD_LITERAL)), "loop_2");
    }

    @Test
    void aBlockLargerThanTheStateCanBe() throws IOException {
        // A 2 KB file must not make the reader write gigabytes: blocks are bounded by the state.
        assertRefused(
                craft(data -> {
                    for (int i = 0; i < 200; i++) {
                        reference(data, SnapshotFormat.MAX_BLOCK_BYTES, 0, 0);
                    }
                    end(data, 200L * SnapshotFormat.MAX_BLOCK_BYTES);
                }),
                "is impossible for");
    }

    @Test
    void blocksThatAssembleIntoAnotherSnapshotThanTheManifestSays() throws IOException {
        Manifest other = differential().toBuilder().name("loop_9").build();
        assertRefused(
                craft(other, SnapshotFormat.VERSION, SnapshotFormat.FLAG_DELTA, data -> {
                    reference(data, baseLength, 0, 0);
                    end(data, baseLength);
                }),
                "assemble into snapshot loop_1, not the one its manifest describes");
    }

    @Test
    void aChainThatDoesNotStartWithTheBase() throws IOException {
        Manifest forged = differential().toBuilder().chain(List.of("loop_0")).build();
        assertRefused(
                craft(forged, SnapshotFormat.VERSION, SnapshotFormat.FLAG_DELTA, data -> end(data, 0)),
                "must name its base first in its chain");
    }

    @Test
    void aStandaloneHeaderWithABaseAndAFormat1HeaderMarkedDifferential() throws IOException {
        assertRefused(craft(differential(), SnapshotFormat.VERSION, 0, data -> {}), "names a base");
        assertRefused(
                craft(differential(), 1, SnapshotFormat.FLAG_DELTA, data -> {}),
                "a format 1 header cannot mark a differential snapshot");
    }
}
