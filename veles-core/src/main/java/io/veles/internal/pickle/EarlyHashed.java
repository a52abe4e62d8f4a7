package io.veles.internal.pickle;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hash collections of one restore that were filled with keys whose hashCode is the
 * application's, and rehashes them once the whole graph is read. A key is put into its map as
 * soon as it is read, and in a cycle that can be before the key's own fields are: a Node hashed
 * by its id, met through a map of a node it links to, is hashed while its id is still null. The
 * map then holds it in the wrong bin, and {@code get} cannot find it (JDK serialization has the
 * same flaw). Keys of the JDK's value classes, enums, records (made whole before they are put)
 * and classes that keep Object's identity hash are safe as read.
 */
final class EarlyHashed {
    private static final ClassValue<Boolean> AT_RISK = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.isEnum() || type.isRecord() || type.isArray() || isJdk(type.getName())) {
                return false;
            }
            try {
                return type.getMethod("hashCode").getDeclaringClass() != Object.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    private final Set<Object> containers = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * AT_RISK's answers for this restore's key classes. With a ClassValue lookup per key read,
     * W2's round trip (maps alternating String and unit keys) was 0.5-1.3 ms slower in six
     * alternating pairs; with this table, the same as before within the noise.
     */
    private final com.esotericsoftware.kryo.util.IdentityMap<Class<?>, Boolean> atRiskHere =
            new com.esotericsoftware.kryo.util.IdentityMap<>();

    private static boolean isJdk(String name) {
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.");
    }

    /** Notes that {@code key} was hashed into {@code container} as it was read. */
    void hashed(Object container, Object key) {
        if (key == null) {
            return;
        }
        Boolean atRisk = atRiskHere.get(key.getClass());
        if (atRisk == null) {
            atRisk = AT_RISK.get(key.getClass());
            atRiskHere.put(key.getClass(), atRisk);
        }
        if (atRisk) {
            containers.add(container);
        }
    }

    /** Hashes the noted maps and sets again, now that every key is whole; their iteration order stays. */
    @SuppressWarnings("unchecked")
    void rehash() {
        for (Object container : containers) {
            if (container instanceof Map) {
                Map<Object, Object> map = (Map<Object, Object>) container;
                List<Map.Entry<Object, Object>> entries = new ArrayList<>(map.size());
                for (Map.Entry<Object, Object> entry : map.entrySet()) {
                    entries.add(new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue()));
                }
                map.clear();
                for (Map.Entry<Object, Object> entry : entries) {
                    map.put(entry.getKey(), entry.getValue());
                }
            } else {
                Collection<Object> set = (Collection<Object>) container;
                List<Object> elements = new ArrayList<>(set);
                set.clear();
                set.addAll(elements);
            }
        }
        containers.clear();
    }
}
