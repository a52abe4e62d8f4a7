package io.veles.bench.serialization;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** The baseline: java.io serialization, with an input filter playing the allowlist's part. */
final class JdkCodec implements Codec {
    private static final ObjectInputFilter ALLOWLIST = info -> {
        Class<?> c = info.serialClass();
        if (c == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        return Codec.allowed(c.getName()) ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    };

    private final ByteSink sink = ByteSink.growable(1 << 16);

    @Override
    public int write(Object root) {
        sink.reset();
        try {
            write(root, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) sink.count();
    }

    @Override
    public byte[] bytes() {
        return sink.bytes();
    }

    @Override
    public Object read(byte[] bytes, int length) {
        try {
            return read(new ByteArrayInputStream(bytes, 0, length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(Object root, OutputStream out) throws IOException {
        // Not closed: that would close the caller's stream.
        ObjectOutputStream oos = new ObjectOutputStream(out);
        oos.writeObject(root);
        oos.flush();
    }

    @Override
    public Object read(InputStream in) throws IOException {
        ObjectInputStream ois = new ObjectInputStream(in);
        ois.setObjectInputFilter(ALLOWLIST);
        try {
            return ois.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }
}
