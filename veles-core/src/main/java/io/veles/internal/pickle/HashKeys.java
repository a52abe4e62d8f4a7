package io.veles.internal.pickle;

import io.veles.errors.SnapshotException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Admits the keys of one hash collection being restored (a HashSet's elements, a HashMap's keys)
 * before it hashes them, so that hashing costs at most linear work in the payload:
 * <ul>
 *   <li>a collection, map or map entry as a key is refused: its hashCode walks the graph, which a
 *       payload can make cyclic (a list that contains itself overflows the stack) or shared
 *       ({@code L_i = [L_i+1, L_i+1]} costs 2^depth);</li>
 *   <li>a record key is walked once, and refused if a record appears twice in it (shared or cyclic);</li>
 *   <li>keys with equal hash codes are counted: the k-th key with a hash already seen k-1 times
 *       costs k steps (a bin of colliding keys is searched through), unless every key so far is of
 *       one Comparable value class, which Java's HashMap keeps in a sorted tree.</li>
 * </ul>
 * Every step is charged to the restore's hash-work budget ({@link SnapshotInput#hashWork}); a save
 * counts the same steps and refuses the same keys ({@link WrittenHashWork}), so that what saves restores.
 */
final class HashKeys {
    /** Value classes whose equal-hash keys HashMap orders by compareTo (their bins cost log n). */
    private static final Set<Class<?>> SORTED_IN_BINS = Set.of(
            String.class,
            Integer.class,
            Long.class,
            Short.class,
            Byte.class,
            Character.class,
            Boolean.class,
            Double.class,
            Float.class,
            BigInteger.class,
            BigDecimal.class,
            UUID.class);

    /** Whether {@code type} is one of the JDK value classes whose hashCode runs no application code. */
    static boolean isPlainValue(Class<?> type) {
        return SORTED_IN_BINS.contains(type);
    }

    private final HashKeyBudget input;
    private final Class<?> type;
    private final boolean treeBins;
    private Class<?> singleClass;
    private List<Object> uncounted = new ArrayList<>();
    private Map<Integer, Integer> hashes;
    /** The first key's hash, counted once (so far alone) but not yet put into {@link #hashes}. */
    private boolean firstCounted;

    private int firstHash;

    /**
     * Keys for a {@code type} read from {@code input}; {@code treeBins} when it is a HashMap (or a
     * set or map built on one), whose bins of one Comparable class are sorted trees.
     */
    HashKeys(HashKeyBudget input, Class<?> type, boolean treeBins) {
        this.input = input;
        this.type = type;
        this.treeBins = treeBins;
        if (!treeBins) {
            hashes = new HashMap<>();
            uncounted = null;
        }
    }

    /** Null when {@code input} is not a restore's (a test's plain Kryo input): nothing is checked. */
    static HashKeys forInput(Object input, Class<?> type, boolean treeBins) {
        return input instanceof SnapshotInput ? new HashKeys((SnapshotInput) input, type, treeBins) : null;
    }

    /**
     * Admits the only key of a {@code type} read from {@code input}: a lone key collides with
     * nothing, so only its structure is checked and charged. Most maps and sets restored hold
     * one key, and counting their hashes cost a tenth of reading many small units.
     */
    static void admitOnly(HashKeyBudget input, Class<?> type, Object key) {
        input.hashWork(1 + structureSize(key, type, input), type);
    }

    /** Checks {@code key} and charges its hashing work; throws SnapshotException when refused. */
    void admit(Object key) {
        input.hashWork(1 + structureSize(key, type, input), type);
        if (hashes == null) {
            if (key == null
                    || (key.getClass() == singleClass
                            || singleClass == null && (isPlainValue(key.getClass()) || key instanceof Enum<?>))) {
                if (key != null) {
                    singleClass = key.getClass();
                }
                uncounted.add(key);
                return;
            }
            hashes = new HashMap<>(); // mixed or non-Comparable keys from here on: count every collision
            for (Object earlier : uncounted) {
                count(earlier);
            }
            uncounted = null;
        }
        count(key);
    }

    private void count(Object key) {
        int hash = key == null ? 0 : key.hashCode();
        if (hashes.isEmpty() && !firstCounted) {
            // Most maps read are small, many hold one key: the table of hashes waits for a second.
            firstCounted = true;
            firstHash = hash;
            return;
        }
        if (firstCounted) {
            firstCounted = false;
            hashes.put(firstHash, 1);
        }
        int seen = hashes.merge(hash, 1, Integer::sum);
        if (seen > 1) {
            input.hashWork(seen, type);
        }
    }

    /**
     * Steps a hashCode or compareTo of {@code value} takes beyond one: a BigInteger or BigDecimal
     * hashes every int of its magnitude each time (neither caches its hash), and one shared
     * value may be the key of any number of collections (a 4 MiB one keying a million maps was
     * 10^12 steps for a payload of a few MB).
     */
    static long magnitudeSteps(Object value) {
        if (value instanceof BigInteger) {
            return ((BigInteger) value).bitLength() >>> 5;
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).unscaledValue().bitLength() >>> 5;
        }
        if (value instanceof BitSet) { // hashes every word it holds, each time
            return ((BitSet) value).size() >>> 6;
        }
        return 0;
    }

    /** Whether keys of {@code type} cost more than one step each: see {@link #magnitudeSteps}. */
    static boolean hasMagnitude(Class<?> type) {
        return BigInteger.class.isAssignableFrom(type)
                || BigDecimal.class.isAssignableFrom(type)
                || BitSet.class.isAssignableFrom(type);
    }

    /** Objects a hashCode of {@code key} visits besides the key itself, and their magnitudes; refuses graph keys. */
    private static long structureSize(Object key, Class<?> type, HashKeyBudget input) {
        if (key == null) {
            return 0;
        }
        if (key instanceof BigInteger || key instanceof BigDecimal || key instanceof BitSet) {
            return magnitudeSteps(key);
        }
        if (key instanceof Optional<?>) { // hashes as its value: walked as a record's component is
            return walkOptional((Optional<?>) key, new IdentityHashMap<>(), type, input);
        }
        if (input.isPlainKey(key.getClass())) {
            return 0;
        }
        if (key instanceof Collection<?> || key instanceof Map<?, ?> || key instanceof Map.Entry<?, ?>) {
            throw refused(input, type, "holds a " + key.getClass().getName() + " as a key");
        }
        // instanceof first: most keys are no record, and asking the ClassValue for each one cost
        // a third of reading a small map
        if (!(key instanceof Record) || !FieldsSerializer.RECORDS.get(key.getClass())) {
            input.notePlainKey(key.getClass());
            return 0;
        }
        return walkRecord(key, new IdentityHashMap<>(), type, input);
    }

    private static long walkRecord(
            Object record, IdentityHashMap<Object, Boolean> seen, Class<?> type, HashKeyBudget input) {
        if (seen.put(record, Boolean.TRUE) != null) {
            throw refused(
                    input,
                    type,
                    "holds a key whose " + record.getClass().getName() + " appears twice in it (shared or cyclic)");
        }
        long size = 1;
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            size += walkPart(record.getClass().getName(), component(record, component), seen, type, input);
        }
        return size;
    }

    /**
     * An Optional hashes as its value: a collection in it is refused as one in a record is (a
     * list of lists sharing their elements, 2^60 hashCode calls for a few hundred bytes).
     */
    private static long walkOptional(
            Optional<?> optional, IdentityHashMap<Object, Boolean> seen, Class<?> type, HashKeyBudget input) {
        return 1 + walkPart(Optional.class.getName(), optional.orElse(null), seen, type, input);
    }

    /**
     * One value a key's hashCode goes into ({@code holder}'s: a record's component, an Optional's
     * value): refused if a collection, walked if a record or an Optional, charged its magnitude.
     */
    private static long walkPart(
            String holder, Object value, IdentityHashMap<Object, Boolean> seen, Class<?> type, HashKeyBudget input) {
        if (value instanceof Collection<?> || value instanceof Map<?, ?> || value instanceof Map.Entry<?, ?>) {
            throw refused(
                    input,
                    type,
                    "holds a key (" + holder + ") with a " + value.getClass().getName() + " in it");
        }
        long size = 0;
        if (value != null && FieldsSerializer.RECORDS.get(value.getClass())) {
            size = walkRecord(value, seen, type, input);
        } else if (value instanceof Optional<?>) {
            size = walkOptional((Optional<?>) value, seen, type, input);
        }
        input.hashWork(1 + magnitudeSteps(value), type);
        return size;
    }

    private static Object component(Object record, RecordComponent component) {
        try {
            java.lang.reflect.Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            throw new SnapshotException(
                    "cannot check a hash key " + record.getClass().getName() + ": " + component.getName()
                            + " cannot be read (" + e + ")",
                    e);
        }
    }

    private static SnapshotException refused(HashKeyBudget input, Class<?> type, String why) {
        return input.refused("a " + type.getName() + " " + why
                + "; hash keys are restored only as values, enums, records of those and objects");
    }
}
