package io.veles.snapshot.file;

import io.veles.internal.delta.BlockHash;
import io.veles.internal.delta.BlockHasher;
import io.veles.internal.delta.ContentChunker;
import io.veles.internal.util.Uninterruptibly;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.SnapshotFormat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes a snapshot's logical container, cuts it into content-defined blocks and names each. A
 * standalone snapshot's bytes pass through unchanged; a differential one's become records (see
 * {@link SnapshotFormat}): a block the base's chain holds is referenced, any other is stored.
 * Either way the blocks and where they lie are recorded in the {@link Differential.Pending}, for
 * the next snapshot to reference.
 *
 * <p>Cutting and naming blocks runs on a thread of its own, fed copies of the bytes through a
 * short queue, so that it overlaps the serializer that writes them (about 0.8 GB/s each on these
 * machines): a differential snapshot costs little more than serializing the state once.
 */
final class DeltaEncoder extends OutputStream {
    private static final int PIECE_BYTES = 1 << 20;
    private static final int PIECES = 8;
    private static final Piece END = new Piece(new byte[0], 0);
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
    // The caller's side of the queue: the piece being filled, free pieces, and the worker.
    private final BlockingQueue<Piece> queue = new ArrayBlockingQueue<>(PIECES);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(PIECES + 1);
    private final Thread worker;
    private volatile Throwable failure;
    private volatile boolean abandoned;
    private byte[] piece;
    private int pieceFilled;
    private boolean ended;

    private record Piece(byte[] bytes, int length) {}

    DeltaEncoder(
            Differential.Pending pending,
            OutputStream plain,
            Manifest fileManifest,
            SnapshotWriter.Options options,
            BlockHasher hasher) {
        this.pending = pending;
        this.hasher = hasher;
        this.plain = plain;
        for (int i = 0; i < PIECES + 1; i++) {
            free.add(new byte[PIECE_BYTES]);
        }
        worker = new Thread(this::work, "veles-blocks");
        worker.setDaemon(true);
        if (!pending.isDifferential()) {
            content = null;
            data = null;
            block = null;
            worker.start();
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
            SnapshotWriter.writeHeaderUpToCrc(
                    data, content, flags, SnapshotWriter.JSON.writeValueAsBytes(fileManifest));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        worker.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (content == null) {
            plain.write(bytes, offset, length); // standalone: the bytes go on now, only their names wait
        }
        while (length > 0) {
            if (piece == null) {
                piece = take(free);
                pieceFilled = 0;
            }
            int n = Math.min(length, piece.length - pieceFilled);
            System.arraycopy(bytes, offset, piece, pieceFilled, n);
            pieceFilled += n;
            offset += n;
            length -= n;
            if (pieceFilled == piece.length) {
                hand(new Piece(piece, pieceFilled));
                piece = null;
            }
        }
    }

    private <T> T take(BlockingQueue<T> from) throws IOException {
        try {
            while (true) {
                checkWorker();
                T item = from.poll(100, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while naming a snapshot's blocks");
        }
    }

    private void hand(Piece next) throws IOException {
        try {
            while (!queue.offer(next, 100, TimeUnit.MILLISECONDS)) {
                checkWorker();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while naming a snapshot's blocks");
        }
    }

    private void checkWorker() throws IOException {
        Throwable failed = failure;
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed != null) {
            throw new IOException("cannot name a snapshot's blocks: " + failed, failed);
        }
    }

    /** The worker: cuts, names and (differential) writes blocks until the end, then ends the file. */
    private void work() {
        try {
            while (true) {
                Piece next = queue.take();
                if (next == END) {
                    break;
                }
                cut(next.bytes(), 0, next.length());
                free.add(next.bytes());
            }
            endFile();
        } catch (Throwable e) {
            failure = e;
            // Keeps taking until the end, so that the caller never waits on a full queue.
            try {
                while (queue.take() != END) {
                    // discarded
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void cut(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        while (offset < end) {
            int cut = chunker.next(bytes, offset, end);
            int upTo = cut < 0 ? end : cut;
            append(bytes, offset, upTo - offset);
            offset = upTo;
            if (cut >= 0) {
                endBlock();
            }
        }
    }

    private void append(byte[] bytes, int offset, int length) {
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

    /**
     * Waits for the worker to end the last block and, for a differential snapshot, to write the end
     * record and the trailer; its failure is thrown here.
     */
    void finish() throws IOException {
        if (piece != null && pieceFilled > 0) {
            hand(new Piece(piece, pieceFilled));
            piece = null;
        }
        endWorker();
        checkWorker();
        pending.finish();
    }

    /** Lets the worker go without finishing the file: the snapshot failed on the caller's side. */
    void abandon() {
        abandoned = true;
        endWorker();
    }

    /**
     * Ends the worker, interrupted or not (the interrupt is kept): given up on, it would wait for
     * the end mark for ever, holding its pieces (about 10 MiB) and the base's block names, once
     * for every snapshot a thread that stays interrupted tries.
     */
    private void endWorker() {
        if (ended) {
            return;
        }
        ended = true;
        Uninterruptibly.run(() -> queue.put(END)); // the worker takes until the end, even after a failure
        Uninterruptibly.run(worker::join);
    }

    private void endFile() throws IOException {
        if (abandoned) {
            return;
        }
        if (filled > 0) {
            endBlock();
        }
        if (content != null) {
            data.writeByte(SnapshotFormat.RECORD_END);
            data.writeLong(logical);
            SnapshotWriter.writeTrailer(data, content);
            data.flush();
        }
    }
}
