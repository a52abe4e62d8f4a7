package io.veles.internal.pickle;

import io.veles.errors.IncompatibleSnapshotException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hash collections of one restore that were filled with keys whose hashCode is the
 * application's, and rehashes them once the whole graph is read. A key is put into its map as
 * soon as it is read, and in a cycle that can be before the key's own fields are: a Node hashed
 * by its id, met through a map of a node it links to, is hashed while its id is still null. The
 * map then holds it in the wrong bin, and {@code get} cannot find it (JDK serialization has the
 * same flaw); and two such keys, both without their ids, are equal, so that the map keeps one.
 * Keys of the JDK's value classes, enums, records (made whole before they are put)
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

    /**
     * The entries read into each noted container, in the order read: a map's keys and values
     * alternating, a set's elements. Kept because a container can lose an entry while it is
     * read: two keys that are both unfinished (their ids unread) may compare equal, and the
     * second put replaces the first. Rehashing what the container holds would not bring it back.
     */
    private final IdentityHashMap<Object, List<Object>> noted = new IdentityHashMap<>();

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

    /**
     * Notes that {@code key}, with {@code value} (null for a set's element), is about to be put
     * into {@code container}. Call it before the put, so that the entries a container already
     * holds when it is first noted are the ones read before.
     */
    void reading(Object container, Object key, Object value) {
        if (!noted.isEmpty()) {
            List<Object> entries = noted.get(container);
            if (entries != null) {
                entries.add(key);
                entries.add(value);
                return;
            }
        }
        if (key == null) {
            return;
        }
        Boolean atRisk = atRiskHere.get(key.getClass());
        if (atRisk == null) {
            atRisk = AT_RISK.get(key.getClass());
            atRiskHere.put(key.getClass(), atRisk);
        }
        if (atRisk) {
            List<Object> entries = entriesSoFar(container);
            entries.add(key);
            entries.add(value);
            noted.put(container, entries);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> entriesSoFar(Object container) {
        List<Object> entries = new ArrayList<>();
        if (container instanceof Map) {
            for (Map.Entry<Object, Object> entry : ((Map<Object, Object>) container).entrySet()) {
                entries.add(entry.getKey());
                entries.add(entry.getValue());
            }
        } else {
            for (Object element : (Collection<Object>) container) {
                entries.add(element);
                entries.add(null);
            }
        }
        return entries;
    }

    /**
     * Whether a put into {@code container} that found an equal key may be undone by {@link
     * #rehash}: only where the container is noted, its keys possibly unfinished when put. Anywhere
     * else the two keys were whole, and the entry is lost.
     */
    boolean mayRehash(Object container) {
        return noted.containsKey(container);
    }

    /**
     * Puts the noted containers' entries back as read, now that every key is whole; their
     * iteration order stays. Refuses a JDK container that still finds two of its keys equal: by
     * today's equals they are one key, and restoring it would drop an entry without a word (a
     * subclass's own put may drop entries on purpose).
     */
    @SuppressWarnings("unchecked")
    void rehash() {
        for (Map.Entry<Object, List<Object>> noting : noted.entrySet()) {
            Object container = noting.getKey();
            List<Object> entries = noting.getValue();
            boolean refused = BoundedContainers.refusesEqualKeys(container.getClass());
            if (container instanceof Map) {
                Map<Object, Object> map = (Map<Object, Object>) container;
                map.clear();
                for (int i = 0; i < entries.size(); i += 2) {
                    int before = map.size();
                    map.put(entries.get(i), entries.get(i + 1));
                    if (map.size() == before && refused) {
                        throw keysMerged(container, entries.get(i));
                    }
                }
            } else {
                Collection<Object> set = (Collection<Object>) container;
                set.clear();
                for (int i = 0; i < entries.size(); i += 2) {
                    if (!set.add(entries.get(i)) && refused) {
                        throw keysMerged(container, entries.get(i));
                    }
                }
            }
        }
        noted.clear();
    }

    /**
     * The refusal of a hash container that holds {@code key} and another key equal to it by
     * today's equals: distinct objects when saved (a map cannot hold one key twice), one key now.
     */
    static IncompatibleSnapshotException keysMerged(Object container, Object key) {
        return new IncompatibleSnapshotException(
                "the snapshot's " + container.getClass().getName()
                        + " holds two keys of "
                        + (key == null ? "null" : key.getClass().getName())
                        + " that today's equals finds equal, so restoring it would drop an entry"
                        + " (did the key class's equals or hashCode change since the snapshot, or was a key changed while in it?)");
    }
}
