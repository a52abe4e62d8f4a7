package io.veles.internal.pickle;

import java.io.OutputStream;

/**
 * Output that only counts: the first pass of a snapshot runs the serializer through it to learn
 * the payload's exact size and each unit's share before a byte is written. Array contents are
 * counted, not copied.
 */
final class SizingOutput extends SnapshotOutput {
    private long skipped;

    SizingOutput() {
        super(OutputStream.nullOutputStream(), 8192);
    }

    @Override
    long written() {
        return total() + skipped;
    }

    @Override
    void writeArrayLE(int length, int width, ChunkWriter writer) {
        skipped += (long) length * width;
    }
}
