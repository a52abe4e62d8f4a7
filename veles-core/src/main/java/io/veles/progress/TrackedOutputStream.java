package io.veles.progress;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Reports the bytes written through it to a progress task, every {@value ByteCount#STEP} bytes or so. */
final class TrackedOutputStream extends FilterOutputStream {
    private final ByteCount count;

    TrackedOutputStream(OutputStream out, ProgressReporter.Task task) {
        super(out);
        this.count = new ByteCount(task);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        count.add(1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        count.add(length);
    }

    @Override
    public void close() throws IOException {
        try {
            count.finish();
        } finally {
            super.close();
        }
    }
}
