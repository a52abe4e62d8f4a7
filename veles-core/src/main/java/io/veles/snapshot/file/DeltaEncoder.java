package io.veles.snapshot.file;

import io.veles.internal.delta.BlockHash;
import io.veles.internal.delta.BlockHasher;
import io.veles.internal.delta.ContentChunker;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes a snapshot's logical container, cuts it into content-defined blocks and names each. A
 * standalone snapshot's bytes pass through unchanged; a differential one's become records (see
 * {@link SnapshotFormat}): a block the base's chain holds is referenced, any other is stored.
 * Either way the blocks and where they lie are recorded in the {@link Differential.Pending}, for
 * the next snapshot to reference.
 */
final class DeltaEncoder extends OutputStream {
    private final Differential.Pending pending;
    private final BlockHasher hasher;
    private final ContentChunker chunker = new ContentChunker();
    private final OutputStream plain; // standalone: the codec's stream, written through
    private final CrcOutputStream content; // differential: this file's bytes, counted and checksummed
    private final DataOutputStream data;
    private final Map<String, Integer> holders = new HashMap<>();
    private final byte[] block;
    private int filled;
    private long blockStart; // the current block's offset in the logical container
    private long logical; // logical bytes taken

    DeltaEncoder(
            Differential.Pending pending,
            OutputStream plain,
            Manifest fileManifest,
            SnapshotWriter.Options options,
            BlockHasher hasher) {
        this.pending = pending;
        this.hasher = hasher;
        this.plain = plain;
        if (!pending.isDifferential()) {
            content = null;
            data = null;
            block = null;
            return;
        }
        List<String> chain = pending.chain();
        for (int i = 0; i < chain.size(); i++) {
            holders.put(chain.get(i), i);
        }
        block = new byte[ContentChunker.MAX_BYTES];
        content = new CrcOutputStream(
                plain, options.key() == null ? null : options.key().newMac());
        data = new DataOutputStream(content);
        try {
            int flags = SnapshotFormat.FLAG_DELTA
                    | SnapshotWriter.flags(options.key() != null, options.codeBackup() != null, options.shuffle());
            byte[] manifestBytes = SnapshotWriter.JSON.writeValueAsBytes(fileManifest);
            data.write(SnapshotFormat.MAGIC);
            data.writeShort(SnapshotFormat.VERSION);
            data.writeShort(flags);
            data.writeInt(manifestBytes.length);
            data.write(manifestBytes);
            data.writeInt(content.crc());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (content == null) {
            plain.write(bytes, offset, length);
        }
        int end = offset + length;
        while (offset < end) {
            int cut = chunker.next(bytes, offset, end);
            int upTo = cut < 0 ? end : cut;
            take(bytes, offset, upTo - offset);
            offset = upTo;
            if (cut >= 0) {
                endBlock();
            }
        }
    }

    private void take(byte[] bytes, int offset, int length) {
        hasher.update(bytes, offset, length);
        if (block != null) {
            System.arraycopy(bytes, offset, block, filled, length);
        }
        filled += length;
        logical += length;
    }

    private void endBlock() throws IOException {
        BlockHash hash = hasher.finish();
        int length = filled;
        if (content == null) {
            pending.add(hash, new Differential.Location(null, blockStart, length));
        } else {
            Differential.Location known = pending.available().get(hash);
            Integer holder = known == null ? null : holders.get(known.holder());
            if (known != null && known.length() == length && holder != null) {
                data.writeByte(SnapshotFormat.RECORD_REFERENCE);
                data.writeInt(length);
                data.writeShort(holder);
                data.writeLong(known.offset());
                pending.add(hash, known);
            } else {
                data.writeByte(SnapshotFormat.RECORD_LITERAL);
                data.writeInt(length);
                long at = content.count();
                data.write(block, 0, length);
                pending.add(hash, new Differential.Location(null, at, length));
            }
        }
        blockStart += length;
        filled = 0;
    }

    /** Ends the last block and, for a differential snapshot, writes the end record and the trailer. */
    void finish() throws IOException {
        if (filled > 0) {
            endBlock();
        }
        if (content != null) {
            data.writeByte(SnapshotFormat.RECORD_END);
            data.writeLong(logical);
            SnapshotWriter.writeTrailer(data, content);
            data.flush();
        }
        pending.finish();
    }
}
