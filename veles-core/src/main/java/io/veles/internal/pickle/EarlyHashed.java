package io.veles.internal.pickle;

import io.veles.errors.IncompatibleSnapshotException;
import io.veles.errors.SnapshotException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hash collections of one restore that were filled with keys whose hashCode is the
 * application's, and rehashes them once the whole graph is read. A key is put into its map as
 * soon as it is read, and in a cycle that can be before the key's own fields are: a Node hashed
 * by its id, met through a map of a node it links to, is hashed while its id is still null. The
 * map then holds it in the wrong bin, and {@code get} cannot find it (JDK serialization has the
 * same flaw); and two such keys, both without their ids, are equal, so that the map keeps one.
 * A record is whole when put, but hashes its components, which may be such objects. Keys of
 * the JDK's value classes, enums and classes that keep Object's identity hash are safe as read.
 */
final class EarlyHashed {
    private static final ClassValue<Boolean> AT_RISK = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.isEnum() || type.isArray() || isJdk(type.getName())) {
                return false;
            }
            if (type.isRecord()) {
                // whole when put, but a component may be an object still unfinished
                for (java.lang.reflect.RecordComponent component : type.getRecordComponents()) {
                    Class<?> declared = component.getType();
                    if (!declared.isPrimitive() && !declared.isEnum() && !HashKeys.isPlainValue(declared)) {
                        return true;
                    }
                }
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
     * What was read into each noted container: its entries as read, in order (a map's keys and
     * values alternating, a set's elements with nulls), and what it held when its read ended.
     * The entries are kept because a container can lose one while it is read: two keys both
     * unfinished (their ids unread) may compare equal, and the second put replaces the first.
     * What it held at the end tells whether a setState changed it since.
     */
    private static final class Noted {
        final List<Object> asRead;
        /** The unit it was read in (null outside units): rehashed after every unit, it is refused naming that one. */
        final String unit;

        List<Object> atEnd;

        Noted(List<Object> asRead, String unit) {
            this.asRead = asRead;
            this.unit = unit;
        }

        /** " (unit 'name')" for a refusal, or "". */
        String where() {
            return PickleContext.inUnit(unit);
        }
    }

    /** A Map.of or Set.of made from a noted container, and the unit it was read in. */
    private record Copy(Object copy, String unit) {
        String where() {
            return PickleContext.inUnit(unit);
        }
    }

    private final IdentityHashMap<Object, Noted> noted = new IdentityHashMap<>();

    /**
     * The noted containers in the order their reads ended: a container read inside another's
     * keys (a map among a key's fields) ends first, and is rehashed first, so the outer one
     * hashes keys whose own containers are whole.
     */
    private final List<Object> ended = new ArrayList<>();

    /** Map.of and Set.of copies made from noted containers: hashed as read, and never again. */
    private final List<Copy> copies = new ArrayList<>();

    /** The name of the unit being read (or null), asked only when a container is noted. */
    private final Supplier<String> unitName;

    EarlyHashed(Supplier<String> unitName) {
        this.unitName = unitName;
    }

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
     * into {@code container}, and returns the list its entries are kept in once it is noted
     * ({@code asRead}, null before): the reader passes it back for the next entry, so that a
     * container is looked up once. Call it before the put, so that what a container holds when
     * it is first noted is what was read before.
     */
    List<Object> reading(Object container, List<Object> asRead, Object key, Object value) {
        if (asRead != null) {
            asRead.add(key);
            asRead.add(value);
            return asRead;
        }
        if (key == null) {
            return null;
        }
        Boolean atRisk = atRiskHere.get(key.getClass());
        if (atRisk == null) {
            atRisk = AT_RISK.get(key.getClass());
            atRiskHere.put(key.getClass(), atRisk);
        }
        if (!atRisk) {
            return null;
        }
        List<Object> entries = contentOf(container);
        entries.add(key);
        entries.add(value);
        noted.put(container, new Noted(entries, unitName.get()));
        return entries;
    }

    /**
     * Notes a container of the JDK's that found {@code key} equal to a key read before, though
     * no key read so far was at risk: a record or JDK key made of objects still unfinished, or a
     * key class whose equals changed. Rehashing tells the two apart; until then the entries are
     * kept as read, the displaced value ({@code previous}, what the put returned) given back to
     * the key it belonged to. Returns the list, as {@link #reading} does.
     */
    List<Object> merged(Object container, Object key, Object value, Object previous) {
        List<Object> entries = contentOf(container);
        if (container instanceof Map) {
            for (int i = 0; i < entries.size(); i += 2) {
                if (java.util.Objects.equals(entries.get(i), key)) {
                    entries.set(i + 1, previous);
                    break;
                }
            }
        }
        entries.add(key);
        entries.add(value);
        noted.put(container, new Noted(entries, unitName.get()));
        return entries;
    }

    /**
     * Notes that {@code copy} (a Map.of or Set.of) was made from {@code read} as it was read: if
     * {@code read} is noted, its keys may have been hashed before they were whole, and the copy
     * cannot be hashed again, so {@link #rehash} checks that each of its keys is found.
     */
    void copied(Object read, Object copy) {
        Noted noting = noted.get(read);
        if (noting != null) {
            copies.add(new Copy(copy, noting.unit));
        }
    }

    /** Notes that the read of a noted container ended: what it holds now is what a restore left in it. */
    void readEnded(Object container, List<Object> asRead) {
        if (asRead != null) {
            noted.get(container).atEnd = contentOf(container);
            ended.add(container);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> contentOf(Object container) {
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

    private static boolean sameObjects(List<Object> one, List<Object> other) {
        if (one == null || one.size() != other.size()) {
            return false;
        }
        for (int i = 0; i < one.size(); i++) {
            if (one.get(i) != other.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Puts the noted containers' entries back, now that every key is whole; their iteration
     * order stays. A container as its read left it gets its entries as read (those lost to keys
     * that looked equal come back); one a setState changed since keeps what it holds, mended (see
     * {@link #withLost}). Containers go in the order their reads ended. Refuses a
     * JDK container that still finds two of its keys equal: by today's equals they are one key,
     * and restoring it would drop an entry without a word (a subclass's own put may drop
     * entries on purpose). Every refusal, and a key's hashCode or equals that throws, names the
     * unit the container was read in.
     */
    void rehash() {
        for (Object container : ended) {
            Noted noting = noted.get(container);
            withKeysOf(
                    () -> putBack(container, noting),
                    "cannot hash the keys of the snapshot's "
                            + container.getClass().getName() + noting.where());
        }
        noted.clear();
        ended.clear();
        for (Copy made : copies) {
            withKeysOf(
                    () -> checkFound(made.copy(), made.where()),
                    "cannot look up the keys of the snapshot's "
                            + made.copy().getClass().getName() + " (Map.of or Set.of)" + made.where());
        }
        copies.clear();
    }

    /**
     * Runs {@code step}, which calls the keys' own hashCode and equals: what they throw is
     * reported as {@code failure} says (the container and its unit), our refusals as they are.
     */
    private static void withKeysOf(Runnable step, String failure) {
        try {
            step.run();
        } catch (SnapshotException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SnapshotKryo.unwrap(e, failure);
        }
    }

    /** Refuses {@code copy} (a Map.of or Set.of, read where {@code where} says) if it cannot find one of its keys. */
    private static void checkFound(Object copy, String where) {
        Collection<?> keys = copy instanceof Map ? ((Map<?, ?>) copy).keySet() : (Collection<?>) copy;
        for (Object key : keys) {
            if (!keys.contains(key)) {
                throw new IncompatibleSnapshotException(
                        "the snapshot's " + copy.getClass().getName()
                                + " (Map.of or Set.of) holds a key of "
                                + key.getClass().getName()
                                + " hashed before its own fields were read (a cycle leads back to it), and such a"
                                + " container cannot be hashed again: restored, it would not find that key"
                                + where);
            }
        }
    }

    /** Puts {@code container}'s entries back (see {@link #rehash}). */
    @SuppressWarnings("unchecked")
    private static void putBack(Object container, Noted noting) {
        List<Object> now = contentOf(container);
        List<Object> entries = sameObjects(noting.atEnd, now) ? noting.asRead : withLost(now, noting);
        boolean refused = BoundedContainers.refusesEqualKeys(container.getClass());
        if (container instanceof Map) {
            Map<Object, Object> map = (Map<Object, Object>) container;
            map.clear();
            for (int i = 0; i < entries.size(); i += 2) {
                int before = map.size();
                map.put(entries.get(i), entries.get(i + 1));
                if (map.size() == before && refused) {
                    throw keysMerged(container.getClass().getName(), entries.get(i), noting.where());
                }
            }
        } else {
            Collection<Object> set = (Collection<Object>) container;
            set.clear();
            for (int i = 0; i < entries.size(); i += 2) {
                if (!set.add(entries.get(i)) && refused) {
                    throw keysMerged(container.getClass().getName(), entries.get(i), noting.where());
                }
            }
        }
    }

    /**
     * What a container holds {@code now}, a setState having changed it since its read, mended
     * where no setState saw: an entry whose value is still the one its read ended with takes the
     * value read with its key (a key that looked equal displaced it), and the entries lost to
     * such keys are put back.
     */
    private static List<Object> withLost(List<Object> now, Noted noting) {
        Map<Object, Object> readValues = new IdentityHashMap<>();
        for (int i = 0; i < noting.asRead.size(); i += 2) {
            readValues.putIfAbsent(noting.asRead.get(i), noting.asRead.get(i + 1));
        }
        Map<Object, Object> endValues = new IdentityHashMap<>();
        for (int i = 0; i < noting.atEnd.size(); i += 2) {
            endValues.put(noting.atEnd.get(i), noting.atEnd.get(i + 1));
        }
        List<Object> entries = new ArrayList<>(now.size() + noting.asRead.size());
        Map<Object, Object> nowKeys = new IdentityHashMap<>();
        for (int i = 0; i < now.size(); i += 2) {
            Object key = now.get(i);
            Object value = now.get(i + 1);
            boolean untouched = endValues.containsKey(key) && endValues.get(key) == value;
            entries.add(key);
            entries.add(untouched && readValues.containsKey(key) ? readValues.get(key) : value);
            nowKeys.put(key, key);
        }
        for (int i = 0; i < noting.asRead.size(); i += 2) {
            Object key = noting.asRead.get(i);
            if (!endValues.containsKey(key) && !nowKeys.containsKey(key)) { // a setState may have put it back itself
                entries.add(noting.asRead.get(i));
                entries.add(noting.asRead.get(i + 1));
            }
        }
        return entries;
    }

    /**
     * The refusal of a hash container (named {@code container}) that holds {@code key} and another
     * key equal to it by today's equals: distinct when saved (a map cannot hold one key twice), one
     * key now. {@code where} says where it was read (" (unit 'name')" or "").
     */
    static IncompatibleSnapshotException keysMerged(String container, Object key, String where) {
        return new IncompatibleSnapshotException("the snapshot's " + container
                + " holds two keys of "
                + (key == null ? "null" : key.getClass().getName())
                + " that today's equals finds equal, so restoring it would drop an entry"
                + " (did the key class's equals or hashCode change since the snapshot, or was a key changed while in it?)"
                + where);
    }
}
