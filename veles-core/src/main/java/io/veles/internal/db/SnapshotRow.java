package io.veles.internal.db;

import java.time.Instant;
import java.util.Objects;

/**
 * One snapshot in a table: VELES's columns other than {@code data}, and the stored size.
 * Rows read from a table also carry their timestamp exactly as stored, which finds the row and its
 * chunks again.
 */
public final class SnapshotRow {
    private final Instant timestamp;
    private final String id;
    private final String logId;
    private final String workflow;
    private final String name;
    private final String codec;
    private final long bytes;
    final Object storedTimestamp;

    SnapshotRow(
            Instant timestamp,
            String id,
            String logId,
            String workflow,
            String name,
            String codec,
            long bytes,
            Object storedTimestamp) {
        this.timestamp = timestamp;
        this.id = id;
        this.logId = logId;
        this.workflow = workflow;
        this.name = name;
        this.codec = codec;
        this.bytes = bytes;
        this.storedTimestamp = storedTimestamp;
    }

    /** A row about to be written; the timestamp is kept to the microsecond. */
    public static SnapshotRow of(
            Instant timestamp, String id, String logId, String workflow, String name, String codec) {
        return new SnapshotRow(timestamp, id, logId, workflow, name, codec, -1, null);
    }

    public Instant timestamp() {
        return timestamp;
    }

    public String id() {
        return id;
    }

    public String logId() {
        return logId;
    }

    public String workflow() {
        return workflow;
    }

    public String name() {
        return name;
    }

    /** VELES's compression argument: "" (none), snappy, gz, bz2, xz, zst or lz4. */
    public String codec() {
        return codec;
    }

    /** The snapshot's stored bytes (inline and chunks), or -1 for a row not read from a table. */
    public long bytes() {
        return bytes;
    }

    SnapshotRow withBytes(long total) {
        return new SnapshotRow(timestamp, id, logId, workflow, name, codec, total, storedTimestamp);
    }

    /** What identifies this row and its chunks within its table: id, log_id, name and the stored timestamp. */
    public String key() {
        return id + "\u0000" + logId + "\u0000" + name + "\u0000" + storedTimestamp;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SnapshotRow && key().equals(((SnapshotRow) other).key());
    }

    @Override
    public int hashCode() {
        return Objects.hash(key());
    }

    @Override
    public String toString() {
        return name + " (" + timestamp + ", id " + id + ", log_id " + logId + ")";
    }
}
