package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.IncompatibleSnapshotException;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serializers for everyday JDK values that Kryo does not capture by default, or not faithfully:
 * UUID, URI, atomics, paths, enum maps, and floating-point boxes with their NaN payloads. Each
 * writes only the value's data; the classes it names go through the allowlist like any other.
 */
final class EverydayValues {
    private EverydayValues() {}

    /** Adds the serializers; registered after the engine's others, so that no existing output changes. */
    static void register(Kryo kryo) {
        kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
        kryo.addDefaultSerializer(URI.class, new DefaultSerializers.URISerializer());
        kryo.addDefaultSerializer(AtomicBoolean.class, new DefaultSerializers.AtomicBooleanSerializer());
        kryo.addDefaultSerializer(AtomicInteger.class, new DefaultSerializers.AtomicIntegerSerializer());
        kryo.addDefaultSerializer(AtomicLong.class, new DefaultSerializers.AtomicLongSerializer());
        kryo.addDefaultSerializer(Path.class, new Paths());
        kryo.addDefaultSerializer(EnumMap.class, new EnumMaps());
        // Kryo registers Float and Double itself (fixed ids); only their serializers change.
        kryo.getRegistration(Float.class).setSerializer(new RawFloats());
        kryo.getRegistration(Double.class).setSerializer(new RawDoubles());
    }

    /**
     * A Float by its raw bits. Kryo's own serializer writes {@code floatToIntBits}, which turns
     * every NaN into the canonical one, so a NaN's payload was lost; every other value is written
     * to the same bytes as before, so older snapshots read the same.
     */
    static final class RawFloats extends Serializer<Float> {
        RawFloats() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, Float value) {
            output.writeInt(Float.floatToRawIntBits(value));
        }

        @Override
        public Float read(Kryo kryo, Input input, Class<? extends Float> type) {
            return Float.intBitsToFloat(input.readInt());
        }
    }

    /** A Double by its raw bits, for the reason {@link RawFloats} gives. */
    static final class RawDoubles extends Serializer<Double> {
        RawDoubles() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, Double value) {
            output.writeLong(Double.doubleToRawLongBits(value));
        }

        @Override
        public Double read(Kryo kryo, Input input, Class<? extends Double> type) {
            return Double.longBitsToDouble(input.readLong());
        }
    }

    /**
     * A path as its string, rebuilt on the default file system: parsing a string is all a restore
     * does, no file is touched. Written under the name {@code java.nio.file.Path} (see
     * {@link AllowListClassResolver#writtenName}), never as the JDK's implementation class.
     */
    static final class Paths extends Serializer<Path> {
        Paths() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, Path path) {
            if (path.getFileSystem() != FileSystems.getDefault()) {
                throw new CaptureException(
                        "cannot capture the path " + path.toUri() + ": only paths of the default"
                                + " file system are captured; keep its string instead",
                        null);
            }
            output.writeString(path.toString());
        }

        @Override
        public Path read(Kryo kryo, Input input, Class<? extends Path> type) {
            return Path.of(input.readString());
        }
    }

    /**
     * An enum map: its key type (a class, checked by the allowlist), then its entries with keys by
     * name, so that reordered constants still restore. Kryo's map serializer cannot make one: an
     * EnumMap has no no-argument constructor.
     */
    static final class EnumMaps extends Serializer<EnumMap<?, ?>> {
        EnumMaps() {
            super(false, false);
        }

        @Override
        public void write(Kryo kryo, Output output, EnumMap<?, ?> map) {
            kryo.writeClass(output, keyType(map));
            output.writeVarInt(map.size(), true);
            for (Map.Entry<? extends Enum<?>, ?> entry : map.entrySet()) {
                output.writeString(entry.getKey().name());
                kryo.writeClassAndObject(output, entry.getValue());
            }
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public EnumMap<?, ?> read(Kryo kryo, Input input, Class<? extends EnumMap<?, ?>> type) {
            Registration registration = kryo.readClass(input);
            if (registration == null || !registration.getType().isEnum()) {
                throw new CorruptSnapshotException("snapshot is corrupt: an enum map's key type is not an enum");
            }
            Class keyType = registration.getType();
            EnumMap map = new EnumMap(keyType);
            kryo.reference(map);
            int size = input.readVarInt(true);
            if (input instanceof SnapshotInput) {
                size = ((SnapshotInput) input).checkedLength(size, 2, "an enum map");
            }
            for (int i = 0; i < size; i++) {
                String name = input.readString();
                Object value = kryo.readClassAndObject(input);
                map.put(constant(keyType, name), value);
            }
            return map;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static Enum<?> constant(Class keyType, String name) {
            try {
                return Enum.valueOf(keyType, name);
            } catch (IllegalArgumentException e) {
                throw new IncompatibleSnapshotException(
                        "cannot restore an EnumMap key: " + keyType.getName() + " has no constant " + name
                                + " any more",
                        e);
            }
        }

        /**
         * The map's key type. An empty map has no key to ask and hides the type in a private
         * field, so it is taken from the class descriptors of the map's own serialized form:
         * written to nowhere, never read back.
         */
        private static Class<?> keyType(EnumMap<?, ?> map) {
            if (!map.isEmpty()) {
                return map.keySet().iterator().next().getDeclaringClass();
            }
            Class<?>[] found = new Class<?>[1];
            try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream()) {
                @Override
                protected void annotateClass(Class<?> type) {
                    if (found[0] == null && type.isEnum()) {
                        found[0] = type;
                    }
                }
            }) {
                out.writeObject(map);
            } catch (IOException e) {
                throw new UncheckedIOException("writing to nowhere failed", e);
            }
            return found[0];
        }
    }
}
