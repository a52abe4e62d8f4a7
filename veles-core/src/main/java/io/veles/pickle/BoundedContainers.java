package io.veles.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kryo's serializers for the containers that size themselves from a declared length before
 * reading any element ({@code new ArrayList(n)}, {@code new HashMap(n)}, {@code new Object[n]}),
 * with that length checked first: every element takes at least one byte, so a length larger than
 * the bytes left in the payload is a lie, refused before anything is allocated for it.
 *
 * <p>Registered for the concrete classes only: Kryo puts user serializers ahead of its own, so one
 * registered for {@code Collection} would also take {@code TreeSet} and lose its comparator.
 */
final class BoundedContainers {
    private BoundedContainers() {
    }

    static void register(Kryo kryo) {
        for (Class<?> type : new Class<?>[] {ArrayList.class, LinkedList.class, ArrayDeque.class, HashSet.class,
                LinkedHashSet.class, CopyOnWriteArrayList.class}) {
            kryo.addDefaultSerializer(type, new Collections());
        }
        for (Class<?> type : new Class<?>[] {HashMap.class, ConcurrentHashMap.class}) {
            kryo.addDefaultSerializer(type, new Maps());
        }
        kryo.addDefaultSerializer(LinkedHashMap.class, new LinkedMaps());
        kryo.addDefaultSerializer(Object[].class, new SerializerFactory.BaseSerializerFactory<ObjectArrays>() {
            @Override
            public ObjectArrays newSerializer(Kryo k, Class type) {
                return new ObjectArrays(k, type);
            }
        });
    }

    private static int check(Input input, int length, int bytesPerElement, String what) {
        if (input instanceof SnapshotInput) {
            return ((SnapshotInput) input).checkedLength(length, bytesPerElement, what);
        }
        return length;
    }

    static final class Collections extends CollectionSerializer<Collection<Object>> {
        @Override
        protected Collection<Object> create(Kryo kryo, Input input, Class<? extends Collection<Object>> type, int size) {
            return super.create(kryo, input, type, check(input, size, 1, "a collection"));
        }
    }

    static class Maps extends MapSerializer<Map<Object, Object>> {
        @Override
        protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
            return super.create(kryo, input, type, check(input, size, 2, "a map"));
        }
    }

    /**
     * A linked map as {@link Maps} writes it, preceded by a mark when it is access-ordered (an LRU
     * cache), so that it comes back access-ordered. The mark is a negative length, which a map in
     * insertion order never begins with: such maps are written exactly as before.
     */
    static final class LinkedMaps extends Maps {
        private static final int ACCESS_ORDER = -1;
        private boolean accessOrderRead;

        @Override
        public void write(Kryo kryo, Output output, Map<Object, Object> map) {
            if (map.getClass() == LinkedHashMap.class && isAccessOrdered((LinkedHashMap<?, ?>) map)) {
                output.writeVarInt(ACCESS_ORDER, true);
            }
            super.write(kryo, output, map);
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            if (input instanceof SnapshotInput && ((SnapshotInput) input).peekVarInt() == ACCESS_ORDER) {
                input.readVarInt(true);
                accessOrderRead = true; // taken by create(), which runs before any entry is read
            }
            try {
                return super.read(kryo, input, type);
            } finally {
                accessOrderRead = false; // a mark before a null map applies to no other map
            }
        }

        @Override
        protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
            if (!accessOrderRead) {
                return super.create(kryo, input, type, size);
            }
            accessOrderRead = false;
            int checked = check(input, size, 2, "a map");
            return new LinkedHashMap<>(Math.max(16, (int) (checked / 0.75f) + 1), 0.75f, true);
        }

        /**
         * The map's private access-order flag, read from its serialized form: the flag is the last
         * byte Java serialization writes for a LinkedHashMap. Its entries are replaced by nulls,
         * and only the last byte is kept.
         */
        static boolean isAccessOrdered(LinkedHashMap<?, ?> map) {
            LastByte last = new LastByte();
            try (ObjectOutputStream out = new ObjectOutputStream(last) {
                {
                    enableReplaceObject(true);
                }

                @Override
                protected Object replaceObject(Object object) {
                    return object == map ? object : null;
                }
            }) {
                out.writeObject(map);
            } catch (IOException e) {
                throw new UncheckedIOException("writing to nowhere failed", e);
            }
            return last.value == 1;
        }

        /** Discards what is written to it but the last byte. */
        private static final class LastByte extends OutputStream {
            int value = -1;

            @Override
            public void write(int b) {
                value = b & 0xFF;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (length > 0) {
                    value = bytes[offset + length - 1] & 0xFF;
                }
            }
        }
    }

    static final class ObjectArrays extends ObjectArraySerializer {
        ObjectArrays(Kryo kryo, Class<?> type) {
            super(kryo, type);
        }

        @Override
        public Object[] read(Kryo kryo, Input input, Class type) {
            if (input instanceof SnapshotInput) {
                // The length (plus one, zero meaning null) comes first; peek at it and check it.
                SnapshotInput in = (SnapshotInput) input;
                int declared = in.peekVarInt();
                if (declared > 0) {
                    check(input, declared - 1, 1, "an array");
                }
            }
            return super.read(kryo, input, type);
        }
    }
}
