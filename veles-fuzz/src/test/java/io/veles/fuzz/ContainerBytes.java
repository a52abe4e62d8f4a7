package io.veles.fuzz;

import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.file.SnapshotWriter;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.workflow.Workflow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * An uncompressed snapshot written by the real writer, whose payload bytes can be overwritten
 * (a declared length made to lie, a reference redirected) with the trailer's checksum recomputed,
 * so that the reader gets past its integrity checks to the deserializer.
 */
final class ContainerBytes {
    private final byte[] bytes;
    private final int payloadStart;
    private final int payloadLength;

    private ContainerBytes(byte[] bytes) {
        this.bytes = bytes;
        ByteBuffer header = ByteBuffer.wrap(bytes);
        int manifestLength = header.getInt(SnapshotFormat.MAGIC.length + 4);
        int afterManifest = SnapshotFormat.MAGIC.length + 8 + manifestLength + 4;
        payloadLength = (int) header.getLong(afterManifest);
        payloadStart = afterManifest + 8;
    }

    static ContainerBytes write(Workflow workflow) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Manifest manifest = Manifest.builder().name("fuzz_graph").build();
            SnapshotWriter.write(workflow, manifest, Codec.NONE, -1, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        if (!Arrays.equals(Arrays.copyOf(bytes, SnapshotFormat.MAGIC.length), SnapshotFormat.MAGIC)) {
            throw new IllegalStateException("an uncompressed snapshot no longer starts with the container's magic");
        }
        return new ContainerBytes(bytes);
    }

    int payloadLength() {
        return payloadLength;
    }

    /** Overwrites the payload's byte at {@code offset} (0 is the payload's first byte). */
    void setPayloadByte(int offset, byte value) {
        bytes[payloadStart + offset] = value;
    }

    /** The container with its trailer's CRC32C recomputed over everything before the trailer. */
    byte[] sealed() {
        int trailer = bytes.length - SnapshotFormat.TRAILER_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, trailer);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }
}
