package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;

import java.io.ByteArrayInputStream;
import java.util.function.Consumer;

/** Payload bytes that lie about a length, as a hostile snapshot's would, for the bounds tests. */
final class HostilePayloads {
    /** A length no payload of these tests could hold. */
    static final int LIE = 1_000_000_000;

    private HostilePayloads() {}

    /** What {@code writer} writes, followed by a few honest bytes. */
    static SnapshotInput payload(Consumer<Output> writer) {
        Output output = new Output(64, -1);
        writer.accept(output);
        output.writeBytes(new byte[64]);
        byte[] bytes = output.toBytes();
        return new SnapshotInput(new ByteArrayInputStream(bytes), 1024, bytes.length);
    }

    /** A reference-tracked object that is new here (Kryo's NOT_NULL marker), declaring {@code length}. */
    static SnapshotInput newObject(int length) {
        return payload(o -> {
            o.writeVarInt(Kryo.NOT_NULL, true);
            o.writeVarInt(length, true);
        });
    }

    /** A new collection in Kryo's layout: a flagged varint of length + 1 (0 means null). */
    static SnapshotInput newCollection(int length) {
        return payload(o -> {
            o.writeVarInt(Kryo.NOT_NULL, true);
            o.writeVarIntFlag(false, length + 1, true);
        });
    }
}
