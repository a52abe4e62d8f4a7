package io.veles.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
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
        for (Class<?> type : new Class<?>[] {HashMap.class, LinkedHashMap.class, ConcurrentHashMap.class}) {
            kryo.addDefaultSerializer(type, new Maps());
        }
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

    static final class Maps extends MapSerializer<Map<Object, Object>> {
        @Override
        protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
            return super.create(kryo, input, type, check(input, size, 2, "a map"));
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
