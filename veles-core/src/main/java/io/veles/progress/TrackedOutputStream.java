package io.veles.progress;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Reports the bytes written through it to a progress task, every {@value TrackedInputStream#STEP} bytes or so. */
final class TrackedOutputStream extends FilterOutputStream {
    private final ProgressReporter.Task task;
    private long count;
    private long reported;

    TrackedOutputStream(OutputStream out, ProgressReporter.Task task) {
        super(out);
        this.task = task;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        advance(1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        advance(length);
    }

    @Override
    public void close() throws IOException {
        try {
            task.advanceTo(count);
            task.close();
        } finally {
            super.close();
        }
    }

    private void advance(long n) {
        count += n;
        if (count - reported >= TrackedInputStream.STEP) {
            reported = count;
            task.advanceTo(count);
        }
    }
}
