package io.veles.snapshot.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.pickle.ClassAllowList;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.snapshot.format.SnapshotKey;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/** Signed snapshots: with a key, only snapshots signed with it restore. */
class SignatureTest {
    @TempDir
    Path dir;

    static final float MARK = 1234.5f;

    static final class Weights extends Unit {
        float[] values = {MARK, 2, 3};

        Weights(Workflow workflow) {
            super(workflow, "weights");
        }

        @Override
        public void run() {}
    }

    public static final class Model extends Workflow {
        public Model() {
            super("model");
            new Weights(this);
        }
    }

    private SnapshotKey key(String name, int seed) throws Exception {
        byte[] bytes = new byte[32];
        new java.util.Random(seed).nextBytes(bytes);
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return SnapshotKey.fromFile(file);
    }

    private static byte[] write(SnapshotKey key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifest manifest = Manifest.builder().name("model_1").build();
        SnapshotWriter.write(new Model(), manifest, Codec.NONE, -1, key, out);
        return out.toByteArray();
    }

    private static float restore(byte[] snapshot, SnapshotKey key) throws Exception {
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(snapshot), "snap", key)) {
            Workflow workflow = reader.restore(ClassAllowList.forWorkflow(Model.class, List.of()))
                    .workflow();
            return ((Weights) workflow.findUnit("weights")).values[0];
        }
    }

    /** Rewrites the trailer's CRC, as someone altering a snapshot on purpose would. */
    private static void fixChecksum(byte[] snapshot, boolean signed) {
        int crcAt = snapshot.length - 4 - (signed ? SnapshotKey.SIGNATURE_BYTES : 0);
        long total = ByteBuffer.wrap(snapshot, crcAt - 8, 8).getLong();
        CRC32C crc = new CRC32C();
        crc.update(snapshot, 0, (int) total);
        ByteBuffer.wrap(snapshot, crcAt, 4).putInt((int) crc.getValue());
    }

    private static void replaceMark(byte[] snapshot, float value) {
        byte[] mark = ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(MARK)
                .array();
        for (int i = 0; i + 4 <= snapshot.length; i++) {
            if (snapshot[i] == mark[0]
                    && snapshot[i + 1] == mark[1]
                    && snapshot[i + 2] == mark[2]
                    && snapshot[i + 3] == mark[3]) {
                ByteBuffer.wrap(snapshot, i, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
                return;
            }
        }
        throw new AssertionError("mark not found");
    }

    @Test
    void aSignedSnapshotRestoresWithItsKeyAndWithoutOne() throws Exception {
        SnapshotKey key = key("key", 1);
        byte[] signed = write(key);
        assertThat(restore(signed, key)).isEqualTo(MARK);
        assertThat(restore(signed, null)).isEqualTo(MARK);
        try (SnapshotReader reader = SnapshotReader.open(new ByteArrayInputStream(signed), "snap")) {
            assertThat(reader.isSigned()).isTrue();
        }
    }

    @Test
    void unsignedAndWronglySignedSnapshotsAreRefusedWithAKey() throws Exception {
        SnapshotKey key = key("key", 1);
        assertThatThrownBy(() -> restore(write(null), key))
                .hasMessage("snap is not signed; with a snapshot key, only snapshots signed with it are accepted");
        assertThatThrownBy(() -> restore(write(key("other", 2)), key))
                .hasMessage("snap has a wrong signature: it was altered, or signed with another key");
    }

    @Test
    void aDeliberateEditWithItsChecksumRecomputedIsCaughtOnlyByTheSignature() throws Exception {
        SnapshotKey key = key("key", 1);
        byte[] altered = write(key);
        replaceMark(altered, 9999f);
        fixChecksum(altered, true);
        assertThat(restore(altered, null))
                .as("a checksum cannot stop a deliberate edit")
                .isEqualTo(9999f);
        assertThatThrownBy(() -> restore(altered, key)).hasMessageContaining("has a wrong signature");
    }

    @Test
    void strippingTheSignatureDoesNotHelp() throws Exception {
        SnapshotKey key = key("key", 1);
        byte[] signed = write(key);
        byte[] stripped = java.util.Arrays.copyOf(signed, signed.length - SnapshotKey.SIGNATURE_BYTES);
        stripped[SnapshotFormat.MAGIC.length + 3] = 0; // clear the "signed" flag
        // the flag sits inside the header CRC and the content CRC: recompute both
        int manifestLength = ByteBuffer.wrap(stripped, 12, 4).getInt();
        CRC32C header = new CRC32C();
        header.update(stripped, 0, 16 + manifestLength);
        ByteBuffer.wrap(stripped, 16 + manifestLength, 4).putInt((int) header.getValue());
        fixChecksum(stripped, false);
        assertThat(restore(stripped, null)).isEqualTo(MARK);
        assertThatThrownBy(() -> restore(stripped, key)).hasMessageContaining("snap is not signed");
    }

    /**
     * A conversion with a key signs the copy with it, so it must first check that key's signature
     * on a signed source: otherwise a snapshot some other key signed, or altered and signed again,
     * would come out passing for ours. Refused, nothing written; an unsigned source is signed as asked.
     */
    @Test
    void aConversionSignsOnlyWhatItsKeyHadSigned() throws Exception {
        SnapshotKey ours = key("ours", 1);
        SnapshotKey other = key("other", 2);
        Path foreign = dir.resolve("foreign.none");
        Files.write(foreign, write(other));
        Path copy = dir.resolve("copy.none");
        assertThatThrownBy(() -> io.veles.snapshot.SnapshotConversion.convert(
                        foreign.toString(), copy.toString(), Codec.NONE, -1, ours))
                .hasMessageContaining("has a wrong signature: it was altered, or signed with another key");
        assertThat(copy).doesNotExist();

        Path signed = dir.resolve("signed.none");
        Files.write(signed, write(ours));
        io.veles.snapshot.SnapshotConversion.convert(signed.toString(), copy.toString(), Codec.NONE, -1, ours);
        assertThat(restore(Files.readAllBytes(copy), ours)).isEqualTo(MARK);

        Path unsigned = dir.resolve("unsigned.none");
        Files.write(unsigned, write(null));
        Path adopted = dir.resolve("adopted.none");
        io.veles.snapshot.SnapshotConversion.convert(unsigned.toString(), adopted.toString(), Codec.NONE, -1, ours);
        assertThat(restore(Files.readAllBytes(adopted), ours))
                .as("an unsigned source, signed as asked")
                .isEqualTo(MARK);
    }

    @Test
    void aKeyFileMustHoldEnoughBytes() throws Exception {
        Path small = dir.resolve("small");
        Files.write(small, new byte[8]);
        assertThatThrownBy(() -> SnapshotKey.fromFile(small))
                .hasMessageContaining("holds 8 bytes; use at least 16 random bytes");
        assertThatThrownBy(() -> SnapshotKey.fromFile(dir.resolve("missing")))
                .hasMessageContaining("cannot read the snapshot key file")
                .hasMessageContaining("no such file");
        assertThat(key("k", 3).toString()).doesNotContain("[B").contains("hidden");
        // a file too long to be a key (one that never ends, as /dev/zero, alike) is refused, not read whole
        Path large = dir.resolve("large");
        Files.write(large, new byte[(64 << 10) + 1]);
        assertThatThrownBy(() -> SnapshotKey.fromFile(large))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("holds more than 65536 bytes");
        Path endless = Path.of("/dev/zero");
        if (Files.isReadable(endless)) {
            assertThatThrownBy(() -> SnapshotKey.fromFile(endless)).hasMessageContaining("holds more than");
        }
    }
}
