package io.veles.snapshot.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.pickle.GraphWriter;
import io.veles.snapshot.codec.Codec;
import io.veles.workflow.Workflow;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * Writes one snapshot of a main workflow as a stream of its codec: header and manifest, payload,
 * trailer (see {@link SnapshotFormat}). The state is measured first, then streamed: memory use
 * beyond the state is a few buffers, whatever the state's size.
 */
public final class SnapshotWriter {
    static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotWriter() {
    }

    /**
     * Writes {@code root}'s state to {@code sink} and closes it. {@code manifest} carries what the
     * caller knows (name, run ids, info); the rest is filled in here. A negative level means the
     * codec's default. Returns the manifest written.
     */
    public static Manifest write(Workflow root, Manifest manifest, Codec codec, int level, OutputStream sink)
            throws IOException {
        return write(root, manifest, codec, level, null, sink);
    }

    /** As {@link #write(Workflow, Manifest, Codec, int, OutputStream)}, signed with {@code key} unless null. */
    public static Manifest write(Workflow root, Manifest manifest, Codec codec, int level, SnapshotKey key,
                                 OutputStream sink) throws IOException {
        return write(root, manifest, codec, level, key, null, sink);
    }

    /**
     * As {@link #write(Workflow, Manifest, Codec, int, SnapshotKey, OutputStream)}, carrying
     * {@code codeBackup} (a {@link CodeBackup} zip) after the payload unless it is null.
     */
    public static Manifest write(Workflow root, Manifest manifest, Codec codec, int level, SnapshotKey key,
                                 byte[] codeBackup, OutputStream sink) throws IOException {
        level = codec.checkLevel(level);
        GraphWriter.Layout layout = GraphWriter.measure(root);
        manifest.workflowClass = root.getClass().getName();
        manifest.workflowName = root.name();
        manifest.writer = Version.writer();
        if (manifest.created == null) {
            manifest.created = Instant.now().toString();
        }
        manifest.codec = codec.argument();
        manifest.level = level;
        manifest.payloadBytes = layout.payloadBytes();
        manifest.units = layout.units();
        manifest.classes = layout.classes();
        manifest.codeFingerprint = CodeFingerprint.of(layout.classes(), root.getClass().getClassLoader());
        if (codeBackup != null) {
            manifest.info.put("code_backup_bytes", codeBackup.length);
        }
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);

        try (CrcOutputStream content = new CrcOutputStream(codec.compress(sink, level), key == null ? null : key.newMac())) {
            DataOutputStream data = new DataOutputStream(content);
            data.write(SnapshotFormat.MAGIC);
            data.writeShort(SnapshotFormat.VERSION);
            data.writeShort((key == null ? 0 : SnapshotFormat.FLAG_SIGNED)
                    | (codeBackup == null ? 0 : SnapshotFormat.FLAG_CODE));
            data.writeInt(manifestBytes.length);
            data.write(manifestBytes);
            data.writeInt(content.crc());
            data.writeLong(layout.payloadBytes());
            GraphWriter.write(root, content, layout);
            if (codeBackup != null) {
                data.writeLong(codeBackup.length);
                data.write(codeBackup);
            }
            long total = content.count();
            int crc = content.crc();
            byte[] signature = key == null ? null : content.signature();
            data.write(SnapshotFormat.TRAILER_MAGIC);
            data.writeLong(total);
            data.writeInt(crc);
            if (signature != null) {
                data.write(signature);
            }
            data.flush();
        }
        return manifest;
    }
}
