package io.veles.internal.pickle;

import io.veles.snapshot.format.SnapshotFormat;

import java.io.OutputStream;

/**
 * The output of the measuring pass: counts the payload's bytes, each unit's share, and keeps the
 * payload as a {@link RecordedPayload} (up to a bound) so that it need not be serialized again.
 * Large numeric arrays are counted and noted, not copied.
 */
final class RecordingOutput extends SnapshotOutput {
    /** Arrays this large are encoded from the live array when written; smaller ones are copied now. */
    private static final int DEFER_BYTES = SnapshotFormat.SHUFFLE_MIN_ARRAY_BYTES;

    private final RecordedPayload.Recorder recorder;
    private long skipped;

    RecordingOutput(long limit) {
        this(new RecordedPayload.Recorder(1 << 16, limit));
    }

    private RecordingOutput(RecordedPayload.Recorder recorder) {
        super(new KeepingStream(recorder), 8192);
        this.recorder = recorder;
    }

    @Override
    long written() {
        return total() + skipped;
    }

    @Override
    void writeArrayLE(int length, int width, ChunkWriter writer) {
        // Every array the shuffle filter could take is deferred: the write decides, as it would.
        if ((long) length * width >= DEFER_BYTES) {
            recorder.defer(total(), length, width, writer);
            skipped += (long) length * width;
        } else {
            super.writeArrayLE(length, width, writer);
        }
    }

    /** The payload kept, or null when it was over the bound. */
    RecordedPayload finish() {
        flush();
        return recorder.finish();
    }

    /** Hands what Kryo flushes to the recorder. */
    private static final class KeepingStream extends OutputStream {
        private final RecordedPayload.Recorder recorder;

        KeepingStream(RecordedPayload.Recorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void write(int b) {
            recorder.keep(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            recorder.keep(bytes, offset, length);
        }
    }
}
