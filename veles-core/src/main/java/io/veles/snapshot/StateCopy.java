package io.veles.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An asynchronous snapshot's copy of the state: the uncompressed container, held in pieces of
 * 1 MiB so that no single huge array is needed (and none is touched twice).
 */
final class StateCopy extends OutputStream {
    private static final int PIECE = 1 << 20;
    private final List<byte[]> pieces = new ArrayList<>();
    private byte[] current;
    private int filled;
    private long size;

    @Override
    public void write(int b) {
        if (current == null || filled == current.length) {
            next();
        }
        current[filled++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        size += length;
        while (length > 0) {
            if (current == null || filled == current.length) {
                next();
            }
            int n = Math.min(length, current.length - filled);
            System.arraycopy(bytes, offset, current, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    private void next() {
        current = new byte[PIECE];
        pieces.add(current);
        filled = 0;
    }

    long size() {
        return size;
    }

    /** Writes the copy to {@code out}, releasing each piece once written. */
    void drainTo(OutputStream out) throws IOException {
        for (int i = 0; i < pieces.size(); i++) {
            byte[] piece = pieces.get(i);
            out.write(piece, 0, i == pieces.size() - 1 ? filled : piece.length);
            pieces.set(i, null);
        }
        pieces.clear();
        current = null;
    }
}
