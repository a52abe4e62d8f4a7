package io.veles.internal.db;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Cuts what a snapshot writer writes into chunks: the first becomes the row's {@code data}, the
 * rest rows of the chunk table, numbered from 1. One buffer of a chunk's size is reused
 * throughout. The caller owns the transaction: it commits after {@link #finish}.
 */
final class ChunkedRowOutput extends OutputStream {
    private final TableLayout layout;
    private final Connection connection;
    private final SnapshotRow row;
    private final Object stored;
    private final byte[] buffer;
    private int filled;
    private int nextSeq; // 0: the row itself
    private long total;
    private PreparedStatement chunkInsert;

    ChunkedRowOutput(TableLayout layout, Connection connection, SnapshotRow row, Object stored, int chunkBytes) {
        this.layout = layout;
        this.connection = connection;
        this.row = row;
        this.stored = stored;
        this.buffer = new byte[chunkBytes];
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == buffer.length) {
            emit();
        }
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == buffer.length) {
                emit();
            }
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    /** Writes what remains; the caller commits. */
    void finish() throws IOException {
        if (filled > 0 || nextSeq == 0) {
            emit();
        }
        if (chunkInsert != null) {
            try {
                chunkInsert.close();
            } catch (SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    long total() {
        return total;
    }

    private void emit() throws IOException {
        byte[] value = filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
        try {
            if (nextSeq == 0) {
                insertRow(value);
            } else {
                insertChunk(value);
            }
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
        total += filled;
        filled = 0;
        nextSeq++;
    }

    private void insertRow(byte[] data) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + layout.table + " ("
                + layout.quotedTimestamp() + ", " + TableLayout.COLUMNS + ", data) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            layout.dialect().bindTimestamp(insert, 1, stored);
            insert.setString(2, row.id());
            insert.setString(3, row.logId());
            insert.setString(4, row.workflow());
            insert.setString(5, row.name());
            insert.setString(6, row.codec());
            insert.setBytes(7, data);
            insert.executeUpdate();
        }
    }

    private void insertChunk(byte[] data) throws SQLException {
        if (chunkInsert == null) {
            chunkInsert = connection.prepareStatement("INSERT INTO " + layout.chunkTable + " ("
                    + layout.quotedTimestamp() + ", id, log_id, name, seq, data) VALUES (?, ?, ?, ?, ?, ?)");
        }
        layout.dialect().bindTimestamp(chunkInsert, 1, stored);
        chunkInsert.setString(2, row.id());
        chunkInsert.setString(3, row.logId());
        chunkInsert.setString(4, row.name());
        chunkInsert.setInt(5, nextSeq);
        chunkInsert.setBytes(6, data);
        chunkInsert.executeUpdate();
        chunkInsert.clearParameters();
    }
}
