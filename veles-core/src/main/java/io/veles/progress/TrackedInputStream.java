package io.veles.progress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports the bytes read through it to a progress task, every {@value ByteCount#STEP} bytes or so. */
final class TrackedInputStream extends FilterInputStream {
    private final ByteCount count;

    TrackedInputStream(InputStream in, ProgressReporter.Task task) {
        super(in);
        this.count = new ByteCount(task);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count.add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int n = in.read(bytes, offset, length);
        if (n > 0) {
            count.add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        count.add(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would make the count lie
    }

    @Override
    public synchronized void mark(int readLimit) {
        // not supported: see markSupported()
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
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
