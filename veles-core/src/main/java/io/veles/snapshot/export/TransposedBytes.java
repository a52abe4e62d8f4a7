package io.veles.snapshot.export;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the transpose of a row-major {@code rows × cols} matrix, row-major ({@code cols × rows}),
 * for formats without an order flag (safetensors). A tile of output rows at a time: for each
 * stored row, the tile's columns are one contiguous read, scattered into the tile, so every byte
 * is read once and memory stays at {@link #TILE} whatever the matrix's size. Only when a single
 * output row exceeds the tile is it gathered in pieces, an element per read.
 */
final class TransposedBytes {
    /** Bytes of the tile of output rows held at a time. */
    static final int TILE = 8 << 20;

    /** Where the stored matrix's bytes are read from (a spill file, memory). */
    @FunctionalInterface
    interface Source {
        /** Copies {@code length} bytes from {@code offset} of the stored matrix into {@code into[at..]}. */
        void read(long offset, byte[] into, int at, int length) throws IOException;
    }

    private final Source source;
    private final long rows;
    private final long cols;
    private final int width;

    TransposedBytes(Source source, long rows, long cols, int width) {
        this.source = source;
        this.rows = rows;
        this.cols = cols;
        this.width = width;
    }

    void writeTo(OutputStream out) throws IOException {
        if (rows == 0 || cols == 0) {
            return;
        }
        // k output rows (stored columns) of m elements each: all rows when they fit
        int k = (int) Math.max(1, Math.min(cols, TILE / width / rows));
        int m = (int) Math.min(rows, TILE / width / k);
        byte[] tile = new byte[k * m * width];
        byte[] strip = new byte[k * width];
        for (long first = 0; first < cols; first += k) {
            int n = (int) Math.min(k, cols - first);
            for (long from = 0; from < rows; from += m) {
                int count = (int) Math.min(m, rows - from);
                for (int i = 0; i < count; i++) {
                    source.read(((from + i) * cols + first) * width, strip, 0, n * width);
                    for (int j = 0; j < n; j++) {
                        int to = (j * count + i) * width;
                        for (int b = 0; b < width; b++) {
                            tile[to + b] = strip[j * width + b];
                        }
                    }
                }
                out.write(tile, 0, n * count * width);
            }
        }
    }
}
