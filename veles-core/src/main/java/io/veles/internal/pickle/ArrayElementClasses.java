package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.IdentityMap;
import io.veles.errors.IncompatibleSnapshotException;
import io.veles.pickle.RestoreRules;

import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the elements of each class's object arrays were written. Kryo writes an array of a final
 * class's objects without a class per element, and any other array with one; so an array reads
 * back only if its element class is final at restore exactly when it was at save. A class that
 * lost or gained {@code final}, or an enum whose constants gained or lost bodies (which makes it
 * no longer final), would be misread and reported as corrupt.
 *
 * <p>The writer therefore records, for each element class of the code's own (not the JDK's, whose
 * finality does not change), whether it was final; the manifest carries that as {@code
 * arrayElementsFinal}, and the reader follows it instead of today's class. Snapshots written
 * before it was recorded are read by today's finality, as they always were.
 */
final class ArrayElementClasses {
    /** When writing: each element class's saved name and whether it was final. Sorted: the manifest is stable. */
    private final Map<String, Boolean> written = new TreeMap<>();

    /**
     * Each element class's answer, once asked: an array is written or read per object, and a
     * map of the few classes met is cheaper than a loader check and a lookup by name each time.
     * One instance serves one write or one read.
     */
    private final IdentityMap<Class<?>, Boolean> decided = new IdentityMap<>();

    /** When reading: today's name of each recorded element class, and whether it was final then. */
    private final Map<String, Boolean> recorded;

    /** For writing. */
    ArrayElementClasses() {
        this.recorded = Map.of();
    }

    /**
     * For reading a snapshot whose manifest recorded {@code arrayElementsFinal} (null or empty if
     * it recorded none), under {@code rules}' renames (null: none).
     */
    ArrayElementClasses(Map<String, Boolean> arrayElementsFinal, RestoreRules rules) {
        Map<String, Boolean> byCurrentName = new HashMap<>();
        if (arrayElementsFinal != null) {
            arrayElementsFinal.forEach((saved, isFinal) -> {
                if (saved != null && isFinal != null) {
                    byCurrentName.put(rules == null ? saved : rules.currentName(saved), isFinal);
                }
            });
        }
        this.recorded = byCurrentName;
    }

    /**
     * Whether the elements of an array of {@code element} objects are written without their class,
     * and records the answer for the manifest.
     */
    boolean typedOnWrite(Class<?> element) {
        Boolean typed = decided.get(element);
        if (typed == null) {
            typed = typedToday(element);
            if (!element.isArray() && !SavedStateSerializers.isJdk(element)) {
                written.putIfAbsent(element.getName(), typed); // as the reader looks it up (not Path's written name)
            }
            decided.put(element, typed);
        }
        return typed;
    }

    /**
     * Whether the elements of an array of (today's) {@code element} objects were written without
     * their class: as recorded when the snapshot recorded that class, else by today's finality.
     */
    boolean typedOnRead(Class<?> element) {
        Boolean typed = decided.get(element);
        if (typed == null) {
            // the writer records only the code's classes: a manifest's word on the JDK's is not taken
            Boolean wasFinal = element.isArray() || recorded.isEmpty() || SavedStateSerializers.isJdk(element)
                    ? null
                    : recorded.get(element.getName());
            typed = wasFinal != null ? wasFinal : typedToday(element);
            decided.put(element, typed);
        }
        return typed;
    }

    /**
     * Reads the elements of {@code array} of {@code element} objects as they were written: each
     * by the element class's serializer ({@code typed}), or each with its class.
     */
    static void readElements(Kryo kryo, Input input, Object[] array, Class<?> element, boolean typed) {
        if (typed) {
            Serializer<?> serializer = kryo.getSerializer(element);
            for (int i = 0; i < array.length; i++) {
                array[i] = kryo.readObjectOrNull(input, element, serializer);
            }
        } else {
            for (int i = 0; i < array.length; i++) {
                Object value = kryo.readClassAndObject(input);
                try {
                    array[i] = value;
                } catch (ArrayStoreException notAdmitted) {
                    throw new IncompatibleSnapshotException(
                            "cannot restore an array of " + element.getName()
                                    + ": the snapshot holds a "
                                    + value.getClass().getName() + " in it, which is not a "
                                    + element.getName()
                                    + " in the code (a class that lost an interface or a base class)",
                            notAdmitted);
                }
            }
        }
    }

    /**
     * Kryo's own choice for an array of {@code element}: without classes if the element class is
     * final, which an array class always is (so a {@code P[][]} holds its {@code P[]}s without
     * classes whatever {@code P} is; Kryo.isFinal would answer for {@code P}).
     */
    static boolean typedToday(Class<?> element) {
        return element.isArray() || Modifier.isFinal(element.getModifiers());
    }

    /** What the writer recorded: saved class name to whether it was final; empty if no such array was written. */
    Map<String, Boolean> written() {
        return java.util.Collections.unmodifiableMap(written);
    }
}
