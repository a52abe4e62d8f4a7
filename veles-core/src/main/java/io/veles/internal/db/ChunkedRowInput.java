package io.veles.internal.db;

import io.veles.internal.util.Messages;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A row's bytes: its {@code data}, then its chunks in order, each fetched when needed, so that
 * memory stays at about one chunk whatever the snapshot's size. Closing it closes the connection,
 * which is its own.
 */
final class ChunkedRowInput extends InputStream {
    private final TableLayout layout;
    private final Connection connection;
    private final SnapshotRow row;
    private final boolean hasChunks;
    private byte[] current = new byte[0];
    private int position;
    private int nextSeq;
    private boolean exhausted;

    ChunkedRowInput(TableLayout layout, Connection connection, SnapshotRow row, boolean hasChunks) {
        this.layout = layout;
        this.connection = connection;
        this.row = row;
        this.hasChunks = hasChunks;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current[position++] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, bytes, offset, n);
        position += n;
        return n;
    }

    private boolean fill() throws IOException {
        while (position == current.length) {
            if (exhausted) {
                return false;
            }
            current = fetch();
            position = 0;
            if (current == null) {
                exhausted = true;
                current = new byte[0];
                return false;
            }
        }
        return true;
    }

    private byte[] fetch() throws IOException {
        int seq = nextSeq++;
        if (seq > 0 && !hasChunks) {
            return null;
        }
        String sql = seq == 0
                ? "SELECT data FROM " + layout.table + " WHERE " + layout.rowMatch()
                : "SELECT data FROM " + layout.chunkTable + " WHERE " + layout.rowMatch() + " AND seq = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = layout.bindRowMatch(statement, 1, row);
            if (seq > 0) {
                statement.setInt(next, seq);
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    if (seq == 0) {
                        throw new IOException("snapshot " + row.name() + " is no longer in " + layout.describe());
                    }
                    return null;
                }
                byte[] data = rows.getBytes(1);
                return data == null ? new byte[0] : data;
            }
        } catch (SQLException e) {
            throw new io.veles.internal.store.StoreReadException(
                    "cannot read snapshot " + row.name() + " from " + layout.describe() + ": "
                            + Messages.innermostOneLine(e),
                    e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
