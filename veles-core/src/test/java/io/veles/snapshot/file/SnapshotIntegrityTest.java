package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.errors.SnapshotException;
import io.veles.pickle.ClassAllowList;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.testing.LoopWorkflow;
import io.veles.testing.RoundTrip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Damaged snapshots are reported, by both verify and restore, and never half-restored. */
class SnapshotIntegrityTest {
    private static byte[] snapshot(Codec codec) {
        LoopWorkflow workflow = new LoopWorkflow(3, 2000, -1);
        workflow.initialize();
        workflow.run();
        return RoundTrip.write(workflow, codec);
    }

    /** What verify says, or null when it passes. */
    private static String verify(byte[] bytes) {
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(bytes), "snap")) {
            reader.verify();
            return null;
        } catch (SnapshotException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** What restore says, or null when it passes. */
    private static String restore(byte[] bytes) {
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(bytes), "snap")) {
            reader.restore(ClassAllowList.forWorkflow(LoopWorkflow.class, List.of()));
            return null;
        } catch (SnapshotException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(byte[] bytes, String pattern) {
        for (String message : new String[] {verify(bytes), restore(bytes)}) {
            assertThat(message).as("a damaged snapshot must be refused").isNotNull();
            assertThat(message).doesNotContain("\n").startsWith("snap").containsPattern(pattern);
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void anIntactSnapshotVerifiesAndRestores(Codec codec) {
        byte[] bytes = snapshot(codec);
        assertThat(verify(bytes)).isNull();
        assertThat(restore(bytes)).isNull();
    }

    /**
     * A flipped byte is reported, unless it falls where the codec keeps nothing of the content
     * (gzip's timestamp, bzip2's final padding bits): then the snapshot must restore exactly.
     */
    @ParameterizedTest
    @EnumSource(Codec.class)
    void aFlippedByteAnywhereIsReportedOrChangesNothing(Codec codec) {
        byte[] intact = snapshot(codec);
        String expected = RoundTrip.restore(intact, LoopWorkflow.class).state();
        int reported = 0;
        for (int position : new int[] {
            0, 3, 12, 40, intact.length / 3, intact.length / 2, intact.length - 30, intact.length - 9, intact.length - 1
        }) {
            byte[] damaged = intact.clone();
            damaged[position] ^= 0x10;
            if (restore(damaged) == null) {
                assertThat(verify(damaged)).isNull();
                assertThat(RoundTrip.restore(damaged, LoopWorkflow.class).state())
                        .as("flip at %d of %d went unnoticed, so it must change nothing", position, intact.length)
                        .isEqualTo(expected);
            } else if (codec == Codec.NONE || position < Codec.MAGIC_LENGTH) {
                // a flip in the codec's magic number leaves data no codec claims
                assertRefused(damaged, "is corrupt|is truncated|is not a veles snapshot");
                reported++;
            } else {
                // inside a compressed stream: corrupt, never "not a veles snapshot"
                assertRefused(damaged, "is corrupt|is truncated");
                reported++;
            }
        }
        assertThat(reported).as("flips reported").isGreaterThanOrEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void aTruncatedSnapshotIsReported(Codec codec) {
        byte[] intact = snapshot(codec);
        for (int length : new int[] {1, 5, 11, 30, intact.length / 2, intact.length - 21, intact.length - 1}) {
            assertRefused(Arrays.copyOf(intact, length), "is truncated|is corrupt|is not a veles snapshot");
        }
    }

    /** Cut past its codec's magic number, a snapshot of every codec is called truncated, not corrupt. */
    @ParameterizedTest
    @EnumSource(Codec.class)
    void aSnapshotCutPastItsMagicNumberIsCalledTruncated(Codec codec) {
        byte[] intact = snapshot(codec);
        for (int length : new int[] {
            Codec.MAGIC_LENGTH + 1, 40, intact.length / 3, intact.length / 2, intact.length - 21, intact.length - 1
        }) {
            assertRefused(Arrays.copyOf(intact, length), "is truncated");
        }
    }

    /**
     * Bytes after the trailer are refused. Where the codec takes them for the start of another
     * stream that is cut short (Snappy, bz2, xz and LZ4 take even one byte so), the file reads as
     * truncated; where it cannot decode them, they are named, with the codec's words.
     */
    @ParameterizedTest
    @EnumSource(Codec.class)
    void bytesAfterTheTrailerAreRefused(Codec codec) {
        byte[] intact = snapshot(codec);
        for (byte[] extra : new byte[][] {{'\n'}, {0, 0}, {'B', 'Z', 'h'}, Arrays.copyOf(intact, 100)}) {
            byte[] appended = Arrays.copyOf(intact, intact.length + extra.length);
            System.arraycopy(extra, 0, appended, intact.length, extra.length);
            assertRefused(appended, "is corrupt: data follows its trailer|is truncated: its \\w+ stream ends early");
        }
        byte[] newline = Arrays.copyOf(intact, intact.length + 1);
        newline[intact.length] = '\n';
        if (codec == Codec.NONE || codec == Codec.GZIP || codec == Codec.ZSTD) {
            assertRefused(newline, "is corrupt: data follows its trailer");
        }
    }

    /**
     * A reading thread interrupted while a block decodes on another was reported as a corrupt
     * snapshot ("its gz stream fails to decode: interrupted"), sending a user after a healthy file.
     */
    @Test
    void anInterruptedReadIsNotCalledCorrupt() {
        LoopWorkflow workflow = new LoopWorkflow(1, 3_000_000, -1);
        workflow.initialize();
        workflow.run();
        byte[] bytes = RoundTrip.write(workflow, Codec.GZIP);
        assertThat(bytes.length)
                .as("blocks decoded in parallel, one at least still decoding")
                .isGreaterThan(8 << 20);
        Thread.currentThread().interrupt();
        try {
            assertThat(verify(bytes)).isEqualTo("snap was not read whole: interrupted");
        } finally {
            Thread.interrupted();
        }
        assertThat(verify(bytes)).isNull();
    }

    @Test
    void uncompressedDamageIsNamedPrecisely() {
        byte[] intact = snapshot(Codec.NONE);
        byte[] badMagic = intact.clone();
        badMagic[1] = 'X';
        assertRefused(badMagic, "is not a veles snapshot");

        byte[] badManifest = intact.clone();
        badManifest[30] ^= 1;
        assertRefused(badManifest, "manifest does not match its checksum");

        byte[] badPayload = intact.clone();
        badPayload[intact.length - 200] ^= 1;
        assertRefused(badPayload, "does not match its checksum");

        assertRefused(Arrays.copyOf(intact, intact.length - 10), "is truncated");
        byte[] extra = Arrays.copyOf(intact, intact.length + 3);
        assertRefused(extra, "data follows its trailer");
    }

    @Test
    void emptyAndForeignDataAreReported() throws IOException {
        assertRefused(new byte[0], "snap is empty");
        assertRefused(
                "just some text, not a snapshot".getBytes(StandardCharsets.UTF_8), "snap is not a veles snapshot");
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertRefused(gzip.toByteArray(), "holds gz data that is not a veles snapshot");
    }

    @Test
    void anImpossibleManifestLengthIsRefusedBeforeAllocating() {
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(40);
        header.put(SnapshotFormat.MAGIC)
                .putShort((short) SnapshotFormat.VERSION)
                .putShort((short) 0)
                .putInt(SnapshotFormat.MAX_MANIFEST_BYTES + 1);
        assertRefused(header.array(), "its manifest length 67108865 is impossible");
    }

    /**
     * A header naming a newer format whose own checksum holds was written by a newer veles; one
     * whose checksum fails is corrupt (one flipped bit makes a 4 a 5). Both were "corrupt or from
     * a newer veles" whatever their checksum said.
     */
    @Test
    void aNewerFormatIsToldFromADamagedHeaderByItsChecksum() {
        byte[] whole = snapshot(Codec.NONE);
        byte[] newer = whole.clone();
        int versionAt = SnapshotFormat.MAGIC.length;
        newer[versionAt + 1] = (byte) (SnapshotFormat.VERSION + 1);
        assertRefused(
                newer,
                java.util.regex.Pattern.quote("snap is corrupt: its header names format version "
                        + (SnapshotFormat.VERSION + 1) + " (this veles reads versions up to " + SnapshotFormat.VERSION
                        + ") and does not match its checksum"));
        int manifestLength = java.nio.ByteBuffer.wrap(newer, versionAt + 4, 4).getInt();
        int crcAt = versionAt + 8 + manifestLength;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(newer, 0, crcAt);
        java.nio.ByteBuffer.wrap(newer, crcAt, 4).putInt((int) crc.getValue());
        assertRefused(
                newer,
                java.util.regex.Pattern.quote("snap was written by a newer veles: its header names format version "
                        + (SnapshotFormat.VERSION + 1) + " (this veles reads versions up to " + SnapshotFormat.VERSION
                        + "); read it with that veles or a later one"));
    }

    /**
     * A reader closed before its payload is read says so: reading on from its closed stream once
     * called a whole snapshot truncated ("its payload ends 7811337 bytes early"), or restored it.
     */
    @ParameterizedTest
    @EnumSource(
            value = Codec.class,
            names = {"NONE", "GZIP", "ZSTD"})
    void aClosedReaderSaysSoInsteadOfCallingTheSnapshotTruncated(Codec codec) throws IOException {
        byte[] bytes = snapshot(codec);
        SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(bytes), "snap");
        reader.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> reader.restore(ClassAllowList.forWorkflow(LoopWorkflow.class, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the reader of snap is closed: open the snapshot again");
        org.assertj.core.api.Assertions.assertThatThrownBy(reader::verify)
                .hasMessage("the reader of snap is closed: open the snapshot again");
        assertThat(verify(bytes)).as("the snapshot itself is whole").isNull();
    }

    @Test
    void theManifestIsReadWithoutThePayload() {
        byte[] bytes = snapshot(Codec.XZ);
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(bytes), "snap")) {
            Manifest manifest = reader.manifest();
            assertThat(reader.codec()).isEqualTo(Codec.XZ);
            assertThat(manifest.workflowClass).isEqualTo(LoopWorkflow.class.getName());
            assertThat(manifest.units).extracting(unit -> unit.name()).contains("loop", "draw", "accumulate");
            assertThat(manifest.units.stream().mapToLong(unit -> unit.bytes()).sum())
                    .isLessThanOrEqualTo(manifest.payloadBytes);
            assertThat(manifest.codeFingerprint).startsWith("sha256:");
            assertThat(manifest.classes).extracting(c -> c.name()).contains(LoopWorkflow.Accumulate.class.getName());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
