package io.veles.bench.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.unsafe.UnsafeInput;
import com.esotericsoftware.kryo.unsafe.UnsafeOutput;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.MapReferenceResolver;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * Kryo as veles would run it: references on, registration not required (class names are written)
 * and an allowlist checked when a name is read. Each variant says what it changes.
 */
final class KryoCodec implements Codec {
    enum Variant {
        STOCK,
        /** Model classes registered: ids instead of names, nothing else changes. */
        REGISTERED,
        /** Unit links written as indices, unit bodies written one after another ({@link FlatUnits}). */
        FLAT,
        /** float[] through {@link KryoFloatArraySerializer}. */
        BULK_FLOATS,
        /** Kryo's UnsafeOutput/UnsafeInput for streams (native byte order, bulk array copies). */
        UNSAFE,
        /** REGISTERED and FLAT together. */
        TUNED,
        /** TUNED with unit bodies written by a hand-written serializer instead of FieldSerializer. */
        HAND_WRITTEN
    }

    private static final int STREAM_BUFFER = 1 << 16;

    private final Kryo kryo;
    private final Output memoryOut = new Output(STREAM_BUFFER, -1);
    private final Input memoryIn = new Input();
    private final Output streamOut;
    private final Input streamIn;

    KryoCodec(Variant variant) {
        boolean handWritten = variant == Variant.HAND_WRITTEN;
        boolean flat = variant == Variant.FLAT || variant == Variant.TUNED || handWritten;
        kryo = new Kryo(new AllowlistClassResolver(), flat ? FlatUnits.kryoReferences() : new MapReferenceResolver());
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        if (flat) {
            FlatUnits.install(kryo, handWritten);
        }
        if (variant == Variant.REGISTERED || variant == Variant.TUNED || handWritten) {
            // After install: registering fixes each class's serializer to its default at that moment.
            kryo.register(Workflow.class);
            kryo.register(Unit.class);
            kryo.register(UnitConfig.class);
            kryo.register(ArrayList.class);
            kryo.register(LinkedHashMap.class);
        }
        if (variant == Variant.BULK_FLOATS) {
            kryo.register(float[].class, new KryoFloatArraySerializer());
        }
        boolean unsafe = variant == Variant.UNSAFE;
        streamOut = unsafe ? new UnsafeOutput(STREAM_BUFFER) : new Output(STREAM_BUFFER);
        streamIn = unsafe ? new UnsafeInput(STREAM_BUFFER) : new Input(STREAM_BUFFER);
    }

    @Override
    public int write(Object root) {
        memoryOut.reset();
        kryo.writeClassAndObject(memoryOut, root);
        return memoryOut.position();
    }

    @Override
    public byte[] bytes() {
        return memoryOut.getBuffer();
    }

    @Override
    public Object read(byte[] bytes, int length) {
        memoryIn.setBuffer(bytes, 0, length);
        return kryo.readClassAndObject(memoryIn);
    }

    @Override
    public void write(Object root, OutputStream out) {
        streamOut.setOutputStream(out);
        kryo.writeClassAndObject(streamOut, root);
        streamOut.flush();
    }

    @Override
    public Object read(InputStream in) {
        streamIn.setInputStream(in);
        return kryo.readClassAndObject(streamIn);
    }

    /** Unregistered classes arrive by name; refuse any name outside the allowlist before loading it. */
    private static final class AllowlistClassResolver extends DefaultClassResolver {
        @Override
        protected Class<?> getTypeByName(String className) {
            if (!Codec.allowed(className)) {
                throw new KryoException("class not allowed in a snapshot: " + className);
            }
            return super.getTypeByName(className);
        }
    }
}
