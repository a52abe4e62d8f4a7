package io.veles.internal.pickle;

import java.util.ArrayList;
import java.util.List;

/**
 * A payload kept by the measuring pass, so that writing it is a copy instead of a second run of
 * the serializer: the bytes of everything but large numeric arrays, and for each of those, where
 * it goes and how to encode it from the live array. The arrays' bytes are read only when the
 * payload is written, as a second pass would read them, so the copy costs little beyond the
 * objects' own bytes.
 */
final class RecordedPayload {
    /** A large array left out of the recorded bytes, to be encoded where {@code offset} says. */
    private record Deferred(long offset, int length, int width, SnapshotOutput.ChunkWriter writer) {}

    private final List<byte[]> pieces;
    private final int pieceBytes;
    private final long recordedBytes;
    private final List<Deferred> deferred;

    private RecordedPayload(List<byte[]> pieces, int pieceBytes, long recordedBytes, List<Deferred> deferred) {
        this.pieces = pieces;
        this.pieceBytes = pieceBytes;
        this.recordedBytes = recordedBytes;
        this.deferred = deferred;
    }

    /** Writes the payload to {@code out}: the recorded bytes, each deferred array in its place. */
    void writeTo(SnapshotOutput out) {
        long done = 0;
        for (Deferred array : deferred) {
            copy(out, done, array.offset());
            out.writeArrayLE(array.length(), array.width(), array.writer());
            done = array.offset();
        }
        copy(out, done, recordedBytes);
    }

    private void copy(SnapshotOutput out, long from, long to) {
        while (from < to) {
            int piece = (int) (from / pieceBytes);
            int offset = (int) (from % pieceBytes);
            int n = (int) Math.min(to - from, pieceBytes - offset);
            out.writeBytes(pieces.get(piece), offset, n);
            from += n;
        }
    }

    /**
     * Collects a payload as the measuring pass produces it, up to a bound on the bytes kept: a
     * state of many small objects larger than that is written by a second pass instead.
     */
    static final class Recorder {
        private final int pieceBytes;
        private final long limit;
        private List<byte[]> pieces = new ArrayList<>();
        private final List<Deferred> deferred = new ArrayList<>();
        private byte[] current;
        private int filled;
        private long recorded;

        Recorder(int pieceBytes, long limit) {
            this.pieceBytes = pieceBytes;
            this.limit = limit;
        }

        /** Keeps {@code length} bytes, unless the bound is passed: then nothing more is kept. */
        void keep(byte[] bytes, int offset, int length) {
            if (pieces == null) {
                return;
            }
            if (recorded + length > limit) {
                pieces = null; // let the memory go: the payload will be written by a second pass
                current = null;
                deferred.clear();
                return;
            }
            recorded += length;
            while (length > 0) {
                if (current == null || filled == current.length) {
                    current = new byte[pieceBytes];
                    pieces.add(current);
                    filled = 0;
                }
                int n = Math.min(length, current.length - filled);
                System.arraycopy(bytes, offset, current, filled, n);
                filled += n;
                offset += n;
                length -= n;
            }
        }

        /** Notes an array that belongs after the {@code offset} bytes kept so far. */
        void defer(long offset, int length, int width, SnapshotOutput.ChunkWriter writer) {
            if (pieces != null) {
                deferred.add(new Deferred(offset, length, width, writer));
            }
        }

        /** The payload, or null when it was over the bound. */
        RecordedPayload finish() {
            return pieces == null ? null : new RecordedPayload(pieces, pieceBytes, recorded, List.copyOf(deferred));
        }
    }
}
