package io.veles.bench.serialization;

import org.apache.fory.Fory;
import org.apache.fory.config.Language;
import org.apache.fory.io.ForyInputStream;
import org.apache.fory.memory.MemoryBuffer;
import org.apache.fory.serializer.BufferObject;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Fory in Java mode with the same policy as Kryo: references on, class names written, allowlist
 * on read. Two of its safety limits are sized for snapshots rather than for untrusted messages.
 */
final class ForyCodec implements Codec {
    /**
     * The default (50) refuses any linked workflow: a ring of n units needs n + 2 (measured).
     * The thread's stack bounds depth first anyway (see StackProbe), so the recursive configuration
     * allows rings of up to a million units. Not Integer.MAX_VALUE: Fory sizes a per-instance cache
     * by it (an array of maxDepth entries, 4 MiB here). The flat configuration keeps the default.
     */
    static final int MAX_DEPTH_RECURSIVE = 1 << 20;

    /**
     * The default (128 MiB) refuses the big-arrays snapshot on read. A snapshot that this JVM
     * could hold is one we may restore, so the gate is the heap itself.
     */
    static final long MAX_GRAPH_MEMORY = Runtime.getRuntime().maxMemory();

    private final Fory fory;
    private final boolean outOfBand;
    private final MemoryBuffer buffer = MemoryBuffer.newHeapBuffer(1 << 16);
    /** Out-of-band path: one array's bytes at a time, reused, never the whole payload. */
    private final MemoryBuffer chunk = MemoryBuffer.newHeapBuffer(1 << 16);

    private byte[] readChunk = new byte[1 << 16];
    private byte[] readMeta = new byte[1 << 16];

    ForyCodec(boolean flat, boolean outOfBand) {
        this.outOfBand = outOfBand;
        var builder = Fory.builder()
                .withLanguage(Language.JAVA)
                .withRefTracking(true)
                .requireClassRegistration(false)
                .suppressClassRegistrationWarnings(true)
                .withTypeChecker((resolver, className) -> Codec.allowed(className))
                .withMaxGraphMemoryBytes(MAX_GRAPH_MEMORY);
        if (!flat) {
            builder.withMaxDepth(MAX_DEPTH_RECURSIVE);
        }
        fory = builder.build();
        if (flat) {
            FlatUnits.install(fory);
        }
    }

    @Override
    public int write(Object root) {
        buffer.writerIndex(0);
        fory.serialize(buffer, root);
        return buffer.writerIndex();
    }

    @Override
    public byte[] bytes() {
        return buffer.getHeapMemory();
    }

    @Override
    public Object read(byte[] bytes, int length) {
        return fory.deserialize(MemoryBuffer.fromByteArray(bytes, 0, length));
    }

    @Override
    public void write(Object root, OutputStream out) throws IOException {
        if (!outOfBand) {
            // Fory builds the whole graph in its buffer, then writes it in one call.
            fory.serialize(out, root);
            return;
        }
        // Arrays are handed to the callback instead of being copied into the buffer; the buffer
        // keeps only the object structure. Then each array is streamed after it.
        List<BufferObject> arrays = new ArrayList<>();
        buffer.writerIndex(0);
        fory.serialize(buffer, root, array -> !arrays.add(array));
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(buffer.writerIndex());
        data.write(buffer.getHeapMemory(), 0, buffer.writerIndex());
        data.writeInt(arrays.size());
        for (BufferObject array : arrays) {
            chunk.writerIndex(0);
            array.writeTo(chunk);
            data.writeInt(chunk.writerIndex());
            data.write(chunk.getHeapMemory(), 0, chunk.writerIndex());
        }
        data.flush();
    }

    @Override
    public Object read(InputStream in) throws IOException {
        if (!outOfBand) {
            return fory.deserialize(new ForyInputStream(in));
        }
        DataInputStream data = new DataInputStream(in);
        int metaLength = data.readInt();
        if (readMeta.length < metaLength) {
            readMeta = new byte[metaLength];
        }
        data.readFully(readMeta, 0, metaLength);
        int count = data.readInt();
        // Fory asks for the arrays in the order they were written; read each one only when asked,
        // into a reused array (Fory's float[] reader copies it out before asking for the next).
        Iterator<MemoryBuffer> arrays = new Iterator<>() {
            private int taken;

            @Override
            public boolean hasNext() {
                return taken < count;
            }

            @Override
            public MemoryBuffer next() {
                if (taken++ == count) {
                    throw new NoSuchElementException();
                }
                try {
                    int size = data.readInt();
                    if (readChunk.length < size) {
                        readChunk = new byte[size];
                    }
                    data.readFully(readChunk, 0, size);
                    return MemoryBuffer.fromByteArray(readChunk, 0, size);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return fory.deserialize(MemoryBuffer.fromByteArray(readMeta, 0, metaLength), () -> arrays);
    }
}
