package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.PriorityQueueSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import io.veles.errors.IncompatibleSnapshotException;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kryo's serializers for the containers that size themselves from a declared length before
 * reading any element ({@code new ArrayList(n)}, {@code new HashMap(n)}, {@code new Object[n]}),
 * with that length checked first: every element takes at least one byte, so a length larger than
 * the bytes left in the payload is a lie, refused before anything is allocated for it.
 *
 * <p>Every declared length is also charged to the restore's allocation budget (a slot counts even
 * when it will hold null), and hash collections admit each key through {@link HashKeys} before
 * hashing it, so that neither memory nor hashing work can outgrow the payload.
 *
 * <p>Registered for the concrete classes only: Kryo puts user serializers ahead of its own, so one
 * registered for {@code Collection} would also take {@code TreeSet} and lose its comparator.
 */
final class BoundedContainers {
    private BoundedContainers() {}

    /** The collections and maps written as their elements alone; Kryo gives their subclasses the same serializers. */
    private static final List<Class<?>> ELEMENTS_ONLY = List.of(
            ArrayList.class,
            LinkedList.class,
            ArrayDeque.class,
            HashSet.class,
            LinkedHashSet.class,
            CopyOnWriteArrayList.class,
            HashMap.class,
            ConcurrentHashMap.class,
            LinkedHashMap.class,
            PriorityQueue.class);

    static void register(Kryo kryo, ArrayElementClasses arrays) {
        for (Class<?> type :
                new Class<?>[] {ArrayList.class, LinkedList.class, ArrayDeque.class, CopyOnWriteArrayList.class}) {
            kryo.addDefaultSerializer(type, new Collections());
        }
        for (Class<?> type : new Class<?>[] {HashSet.class, LinkedHashSet.class}) {
            kryo.addDefaultSerializer(type, new HashedCollections());
        }
        for (Class<?> type : new Class<?>[] {HashMap.class, ConcurrentHashMap.class}) {
            kryo.addDefaultSerializer(type, new Maps());
        }
        kryo.addDefaultSerializer(LinkedHashMap.class, new LinkedMaps());
        kryo.addDefaultSerializer(PriorityQueue.class, new PriorityQueues());
        kryo.addDefaultSerializer(Arrays.asList().getClass(), new ArraysAsLists());
        // Ahead of Kryo's own serializers for List.of, Set.of and Map.of, in the same format.
        ImmutableLists lists = new ImmutableLists();
        for (List<Integer> list : List.of(
                List.<Integer>of(),
                List.of(1),
                List.of(1, 2, 3, 4),
                List.of(1, 2, 3, 4).subList(0, 2))) {
            kryo.addDefaultSerializer(list.getClass(), lists);
        }
        ImmutableSets sets = new ImmutableSets();
        for (Set<Integer> set : List.of(Set.<Integer>of(), Set.of(1), Set.of(1, 2, 3, 4))) {
            kryo.addDefaultSerializer(set.getClass(), sets);
        }
        ImmutableMaps maps = new ImmutableMaps();
        for (Map<Integer, Integer> map : List.of(Map.<Integer, Integer>of(), Map.of(1, 2), Map.of(1, 2, 3, 4))) {
            kryo.addDefaultSerializer(map.getClass(), maps);
        }
        kryo.addDefaultSerializer(Object[].class, new ObjectArrays(arrays));
    }

    /** Checks a declared element count and charges {@code heapBytesPerElement} for each element. */
    private static int check(Input input, int length, int bytesPerElement, int heapBytesPerElement, String what) {
        if (input instanceof SnapshotInput) {
            return ((SnapshotInput) input).checkedLength(length, bytesPerElement, heapBytesPerElement, what);
        }
        return length;
    }

    /** Heap bytes of one element slot: a reference, 8 bytes without compressed pointers. */
    private static final int SLOT = 8;
    /** Heap bytes a hash map's table takes per declared entry: up to two slots. */
    private static final int HASH_SLOTS = 2 * SLOT;

    /**
     * Whether a collection or map of {@code type} hashes its elements or keys. Asked once per
     * container, each way: {@code isAssignableFrom} on a class the compiler cannot see is a call
     * into the VM (a fiftieth of W2), so the everyday classes are told apart by identity and the
     * rest remembered per class.
     */
    private static boolean hashed(Class<?> type) {
        if (type == ArrayList.class) {
            return false;
        }
        if (type == HashMap.class
                || type == LinkedHashMap.class
                || type == HashSet.class
                || type == LinkedHashSet.class) {
            return true;
        }
        return HASHED.get(type);
    }

    /**
     * Whether a {@code type} that found a key equal to one put before is refused: the JDK's hash
     * containers, where it means two saved keys are one today. A subclass's own put may drop
     * entries on purpose.
     */
    static boolean refusesEqualKeys(Class<?> type) {
        return type == HashMap.class
                || type == LinkedHashMap.class
                || type == HashSet.class
                || type == LinkedHashSet.class
                || type == ConcurrentHashMap.class
                || REFUSES_EQUAL_KEYS.get(type);
    }

    /** The methods by which a subclass of a hash container could keep fewer keys than it is given. */
    private static final Set<String> ADDING = Set.of("put", "add", "putIfAbsent", "removeEldestEntry");

    /**
     * Subclasses of the JDK's hash containers that add as the JDK does (a plain named subclass):
     * a subclass with its own put or add, or an eldest-entry rule (an LRU cache), is left alone.
     */
    private static final ClassValue<Boolean> REFUSES_EQUAL_KEYS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (!HASHED.get(type)) {
                return false;
            }
            for (Class<?> c = type; c != null && !c.getName().startsWith("java."); c = c.getSuperclass()) {
                for (java.lang.reflect.Method method : c.getDeclaredMethods()) {
                    if (ADDING.contains(method.getName())) {
                        return false;
                    }
                }
            }
            return true;
        }
    };

    /**
     * The refusal of a Map.of or Set.of whose keys were equal as read: it is made from them at
     * once, so a key lost then cannot come back when the graph is whole.
     */
    private static IncompatibleSnapshotException copiedKeysMerged(Class<?> type, Object key, Input input) {
        return new IncompatibleSnapshotException(
                "the snapshot's " + type.getName() + " (Map.of or Set.of) holds two keys of "
                        + (key == null ? "null" : key.getClass().getName())
                        + " that are equal as read, so restoring it would drop an entry (did the key class's equals change"
                        + " since the snapshot, or are the keys read in a cycle before their own fields?)"
                        + (input instanceof SnapshotInput ? ((SnapshotInput) input).where() : ""));
    }

    private static final ClassValue<Boolean> OWN_EQUALS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.isEnum() || HashKeys.isPlainValue(type)) {
                return false; // unchangeable: two of them in one map were never equal
            }
            try {
                return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    private static final ClassValue<Boolean> HASHED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return HashSet.class.isAssignableFrom(type)
                    || HashMap.class.isAssignableFrom(type)
                    || ConcurrentHashMap.class.isAssignableFrom(type);
        }
    };

    /**
     * A collection as Kryo's serializer writes it. A hash set's elements are read here, in the
     * same layout, so that each passes {@link HashKeys} before the set hashes it.
     */
    /**
     * Why a user's subclass of one of {@link #ELEMENTS_ONLY} cannot be captured, or null if it can
     * (or {@code type} is no such subclass). It is written as its elements alone and made again
     * by its constructor without parameters: fields of its own would be lost, and an anonymous,
     * local or inner class has no such constructor, or one that adds elements of its own.
     */
    static String refusalOfSubclass(Class<?> type) {
        Class<?> base = null;
        for (Class<?> c = type.getSuperclass(); c != null && base == null; c = c.getSuperclass()) {
            if (ELEMENTS_ONLY.contains(c)) {
                base = c;
            }
        }
        if (base == null || ELEMENTS_ONLY.contains(type)) {
            return null;
        }
        String what = "cannot capture a " + type.getName() + ", a subclass of " + base.getName() + ": ";
        if (type.isAnonymousClass()
                || type.isLocalClass()
                || (type.isMemberClass() && !java.lang.reflect.Modifier.isStatic(type.getModifiers()))) {
            return what + "an anonymous, local or inner class cannot be made again on restore; use a "
                    + base.getSimpleName() + " itself or a static nested class";
        }
        List<String> own = new ArrayList<>();
        for (Class<?> c = type; c != base; c = c.getSuperclass()) {
            for (java.lang.reflect.Field field : c.getDeclaredFields()) {
                if (ClassSchema.isCaptured(field)) {
                    own.add(field.getName());
                }
            }
        }
        if (!own.isEmpty()) {
            return what + "it is saved as its elements alone, so its own fields (" + String.join(", ", own)
                    + ") would be lost; hold a " + base.getSimpleName() + " in a field instead";
        }
        try {
            type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            return what + "it has no constructor without parameters to make it again on restore";
        }
        return null;
    }

    /**
     * Writes an immutable collection, which a restore makes from its elements: a reference back to
     * it from among them is refused as it is met (see {@link SnapshotKryo.UnitsByNumber}).
     */
    private static void writeMadeFromElements(Kryo kryo, Object collection, Runnable write) {
        if (!(kryo.getReferenceResolver() instanceof SnapshotKryo.UnitsByNumber)) {
            write.run();
            return;
        }
        SnapshotKryo.UnitsByNumber numbers = (SnapshotKryo.UnitsByNumber) kryo.getReferenceResolver();
        numbers.writingRecord(collection);
        try {
            write.run();
        } finally {
            numbers.recordWritten();
        }
    }

    private static int idBeingRead(Kryo kryo) {
        return kryo.getReferenceResolver() instanceof SnapshotKryo.UnitsByNumber
                ? ((SnapshotKryo.UnitsByNumber) kryo.getReferenceResolver()).idBeingRead()
                : -1;
    }

    /**
     * {@code made}, registered as read object {@code id} in place of {@code read}, the mutable
     * collection it was made from: a later reference to the same collection then gets {@code made}
     * too, as it was shared when written.
     */
    private static <T> T registeredInstead(Kryo kryo, int id, Object read, T made) {
        if (kryo.getReferenceResolver() instanceof SnapshotKryo.UnitsByNumber) {
            ((SnapshotKryo.UnitsByNumber) kryo.getReferenceResolver()).replaceRead(id, read, made);
        }
        return made;
    }

    /**
     * Admits the keys of a hash collection being written as a restore will admit them, in the
     * order it will read them: what it would refuse is refused now, and its work is counted
     * ({@link WrittenHashWork}). Nothing when reading.
     */
    static void admitWritten(Kryo kryo, Collection<?> keys, Class<?> type, boolean treeBins) {
        if (!(kryo.getReferenceResolver() instanceof SnapshotKryo.UnitsByNumber)) {
            return;
        }
        WrittenHashWork work = ((SnapshotKryo.UnitsByNumber) kryo.getReferenceResolver()).hashWork();
        int size = keys.size();
        if (work == null || size == 0) {
            return;
        }
        if (size == 1) {
            HashKeys.admitOnly(work, type, keys.iterator().next());
            return;
        }
        if (treeBins && ofOnePlainClass(keys, work)) {
            work.hashWork(size, type); // what HashKeys charges such keys: one step each
            return;
        }
        HashKeys counted = new HashKeys(work, type, treeBins);
        for (Object key : keys) {
            counted.admit(key);
        }
        if (refusesEqualKeys(type) || type.getName().startsWith("java.util.ImmutableCollections$")) {
            refuseEqualKeys(keys, type);
        }
    }

    /**
     * Refuses a JDK hash container holding two keys its equals finds equal (a key changed while
     * in it): a restore puts them back one by one, keeps one, and refuses it rather than drop the
     * other. Refused now, a snapshot that saves still restores.
     */
    private static void refuseEqualKeys(Collection<?> keys, Class<?> type) {
        boolean ownEquals = false; // keys that keep Object's equals (units, most classes) cannot be equal
        for (Object key : keys) {
            if (key != null && OWN_EQUALS.get(key.getClass())) {
                ownEquals = true;
                break;
            }
        }
        if (!ownEquals) {
            return;
        }
        Set<Object> seen = new HashSet<>(keys.size() * 2);
        for (Object key : keys) {
            if (!seen.add(key)) {
                throw new CaptureException(
                        "a " + type.getName() + " holds two keys of "
                                + (key == null ? "null" : key.getClass().getName())
                                + " that their equals finds equal (was a key changed while in it?): a restore would keep one",
                        null);
            }
        }
    }

    /** Whether every key is of one JDK value class or one enum: most maps written, cheap to tell. */
    private static boolean ofOnePlainClass(Collection<?> keys, WrittenHashWork work) {
        Class<?> only = null;
        for (Object key : keys) {
            if (key == null) {
                return false;
            }
            if (only == null) {
                only = key.getClass();
                if (only != work.lastValueClass) { // asked once per class met, not per map
                    if (!HashKeys.isPlainValue(only) && !(key instanceof Enum<?>) || HashKeys.hasMagnitude(only)) {
                        return false; // charged key by key, as a restore charges them
                    }
                    work.lastValueClass = only;
                }
            } else if (key.getClass() != only) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code collection}, or for a CopyOnWriteArrayList a fixed copy of its elements. Kryo asks a
     * collection its size, then iterates it twice (to see whether its elements share a class, then
     * to write them); a list another thread changes in between would be written with a size that
     * its elements do not match, a payload no restore can read. The copy is one moment of the list.
     */
    static Collection<Object> consistent(Collection<Object> collection) {
        return collection instanceof CopyOnWriteArrayList ? Arrays.asList(collection.toArray()) : collection;
    }

    /**
     * {@code map}, or for a ConcurrentHashMap a fixed copy of its entries, for the reason {@link
     * #consistent(Collection)} gives: Kryo writes a map's size, then its entries, and another
     * thread may put or remove entries in between. Each entry is copied as the map's iterator
     * gives it; the copy hashes nothing.
     */
    static Map<Object, Object> consistent(Map<Object, Object> map) {
        if (!(map instanceof ConcurrentHashMap)) {
            return map;
        }
        List<Map.Entry<Object, Object>> entries = new ArrayList<>(map.size() + 16);
        for (Map.Entry<Object, Object> entry : map.entrySet()) {
            entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue()));
        }
        return new java.util.AbstractMap<>() {
            @Override
            public Set<Map.Entry<Object, Object>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public java.util.Iterator<Map.Entry<Object, Object>> iterator() {
                        return entries.iterator();
                    }

                    @Override
                    public int size() {
                        return entries.size();
                    }
                };
            }
        };
    }

    static class Collections extends CollectionSerializer<Collection<Object>> {
        private final boolean elementsCanBeNull;

        Collections() {
            this(true);
        }

        Collections(boolean elementsCanBeNull) {
            this.elementsCanBeNull = elementsCanBeNull;
            setElementsCanBeNull(elementsCanBeNull);
        }

        @Override
        protected Collection<Object> create(
                Kryo kryo, Input input, Class<? extends Collection<Object>> type, int size) {
            return super.create(
                    kryo, input, type, check(input, size, 1, hashed(type) ? HASH_SLOTS : SLOT, "a collection"));
        }

        /** Whether elements of a {@code type} are hashed as they are added. */
        boolean hashes(Class<?> type) {
            return hashed(type);
        }

        /**
         * Whether elements of a {@code type} are added all at once: each add to a
         * CopyOnWriteArrayList copies the whole array, so adding them one by one is quadratic (a
         * 1 KB file declaring 65,536 null elements copied 2 billion slots).
         */
        private static boolean addedAtOnce(Class<?> type) {
            return type != ArrayList.class && ADDED_AT_ONCE.get(type); // see hashed on why not isAssignableFrom
        }

        private static final ClassValue<Boolean> ADDED_AT_ONCE = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                return CopyOnWriteArrayList.class.isAssignableFrom(type);
            }
        };

        /**
         * Writes {@code collection}; a CopyOnWriteArrayList, which other threads may change while
         * it is written, from one copy of its elements (see {@link #consistent(Collection)}).
         */
        @Override
        public void write(Kryo kryo, Output output, Collection<Object> collection) {
            super.write(kryo, output, consistent(collection));
        }

        @Override
        public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
            Class<?> generic = kryo.getGenerics().nextGenericClass();
            boolean hashed = hashes(type);
            boolean atOnce = addedAtOnce(type);
            if (!(hashed || atOnce) || !(input instanceof SnapshotInput) || generic != null && kryo.isFinal(generic)) {
                return super.read(kryo, input, type); // never the case in a snapshot: no generics are pushed
            }
            try {
                boolean sameType = input.readVarIntFlag();
                int length = input.readVarIntFlag(true);
                if (length == 0) {
                    return null;
                }
                length--;
                Collection<Object> collection = create(kryo, input, type, length);
                kryo.reference(collection);
                if (length == 0) {
                    return collection;
                }
                Class<?> elementClass = null;
                Serializer<?> elementSerializer = null;
                boolean nulls = elementsCanBeNull;
                if (sameType) {
                    Registration registration = kryo.readClass(input);
                    if (registration == null) { // all elements are null
                        if (atOnce) {
                            collection.addAll(java.util.Collections.nCopies(length, null));
                        } else {
                            collection.add(null); // a set holds one
                        }
                        return collection;
                    }
                    elementClass = registration.getType();
                    elementSerializer = kryo.getSerializer(elementClass);
                    if (nulls) {
                        nulls = input.readBoolean();
                    }
                }
                HashKeys keys = !hashed || length == 1 ? null : HashKeys.forInput(input, type, treeBins());
                EarlyHashed early = ((SnapshotInput) input).earlyHashed();
                List<Object> asRead = null; // once the set is noted: its elements as read
                // elements read ahead, then added in one step: the collection is registered (above)
                // before them, so an element referring back to it gets it, filled once all are read
                List<Object> ahead = atOnce ? new ArrayList<>(length) : null;
                for (int i = 0; i < length; i++) {
                    Object element;
                    if (elementSerializer == null) {
                        element = kryo.readClassAndObject(input);
                    } else if (nulls) {
                        element = kryo.readObjectOrNull(input, elementClass, elementSerializer);
                    } else {
                        element = kryo.readObject(input, elementClass, elementSerializer);
                    }
                    if (atOnce) {
                        ahead.add(element);
                        continue;
                    }
                    if (keys == null) {
                        HashKeys.admitOnly((SnapshotInput) input, type, element);
                    } else {
                        keys.admit(element);
                    }
                    asRead = early.reading(collection, asRead, element, null);
                    if (!collection.add(element) && hashed) {
                        if (copiedAsRead()) { // copied now: a lost element cannot come back
                            throw copiedKeysMerged(type, element, input);
                        }
                        if (asRead == null && refusesEqualKeys(type)) {
                            asRead = early.merged(collection, element, null, null);
                        }
                    }
                }
                if (atOnce) {
                    collection.addAll(ahead);
                }
                early.readEnded(collection, asRead);
                return collection;
            } finally {
                kryo.getGenerics().popGenericType();
            }
        }

        /** Whether the collection hashes into a HashMap's tree bins (Set.of probes linearly instead). */
        boolean treeBins() {
            return true;
        }

        /**
         * Whether the collection read is copied as soon as it is read (Set.of): an element it
         * found equal to another is then lost for good, even if rehashing would part them.
         */
        boolean copiedAsRead() {
            return false;
        }
    }

    /**
     * A hash set as {@link Collections} writes and reads it, its elements admitted as a restore
     * will admit them as they are written (lists have no such work: they keep their own
     * serializer, without this step).
     */
    static class HashedCollections extends Collections {
        HashedCollections() {
            super();
        }

        HashedCollections(boolean elementsCanBeNull) {
            super(elementsCanBeNull);
        }

        @Override
        public void write(Kryo kryo, Output output, Collection<Object> collection) {
            if (hashes(collection.getClass())) {
                admitWritten(kryo, collection, collection.getClass(), treeBins());
            }
            super.write(kryo, output, collection);
        }
    }

    /** A map as Kryo's serializer writes it; a hash map's keys pass {@link HashKeys} before it hashes them. */
    static class Maps extends MapSerializer<Map<Object, Object>> {
        @Override
        protected Map<Object, Object> create(
                Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
            return super.create(kryo, input, type, check(input, size, 2, HASH_SLOTS, "a map"));
        }

        boolean hashes(Class<?> type) {
            return hashed(type);
        }

        boolean treeBins() {
            return true;
        }

        /** As {@link Collections#copiedAsRead()}: Map.of is made from the map as read. */
        boolean copiedAsRead() {
            return false;
        }

        @Override
        public void write(Kryo kryo, Output output, Map<Object, Object> map) {
            Map<Object, Object> entries = consistent(map);
            if (hashes(map.getClass())) {
                admitWritten(kryo, entries.keySet(), map.getClass(), treeBins());
            }
            super.write(kryo, output, entries);
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            if (!hashes(type)
                    || !(input instanceof SnapshotInput)
                    || kryo.getGenerics().nextGenericTypes() != null) {
                return super.read(kryo, input, type); // never the case in a snapshot: no generics are pushed
            }
            int length = input.readVarInt(true);
            if (length == 0) {
                return null;
            }
            length--;
            Map<Object, Object> map = create(kryo, input, type, length);
            kryo.reference(map);
            if (length == 0) {
                return map;
            }
            EarlyHashed early = ((SnapshotInput) input).earlyHashed();
            List<Object> asRead = null; // once the map is noted: its entries as read
            if (length == 1) {
                Object key = kryo.readClassAndObject(input);
                Object value = kryo.readClassAndObject(input);
                HashKeys.admitOnly((SnapshotInput) input, type, key);
                asRead = early.reading(map, null, key, value);
                map.put(key, value);
            } else {
                HashKeys keys = HashKeys.forInput(input, type, treeBins());
                for (int i = 0; i < length; i++) {
                    Object key = kryo.readClassAndObject(input);
                    Object value = kryo.readClassAndObject(input);
                    keys.admit(key);
                    asRead = early.reading(map, asRead, key, value);
                    int before = map.size();
                    Object previous = map.put(key, value);
                    if (map.size() == before) {
                        if (copiedAsRead()) { // copied now: a lost entry cannot come back
                            throw copiedKeysMerged(type, key, input);
                        }
                        if (asRead == null && refusesEqualKeys(type)) {
                            asRead = early.merged(map, key, value, previous);
                        }
                    }
                }
            }
            early.readEnded(map, asRead);
            kryo.getGenerics().popGenericType();
            return map;
        }
    }

    /** A priority queue as Kryo writes it (size, comparator, elements), its size checked first. */
    static final class PriorityQueues extends PriorityQueueSerializer {
        @Override
        protected PriorityQueue create(Kryo kryo, Input input, Class<? extends PriorityQueue> type, int size) {
            return super.create(kryo, input, type, check(input, size, 1, SLOT, "a priority queue"));
        }
    }

    /**
     * {@code Arrays.asList} as Kryo writes it, its size checked first. Kryo reads it into an
     * ArrayList, registered as the object read, and returns a list made from that: a second
     * reference to the list got the ArrayList, so two fields sharing one list held two after a
     * restore. The list made is registered instead, as for {@code List.of}, and a list that holds
     * itself is refused when written, as no restore could make it from its elements.
     */
    static final class ArraysAsLists extends Collections {
        @Override
        protected Collection<Object> create(
                Kryo kryo, Input input, Class<? extends Collection<Object>> type, int size) {
            // Read into a list and copied into an array after: twice the slots.
            return new ArrayList<>(check(input, size, 1, 2 * SLOT, "a list"));
        }

        @Override
        public void write(Kryo kryo, Output output, Collection<Object> list) {
            writeMadeFromElements(kryo, list, () -> super.write(kryo, output, list));
        }

        @Override
        public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
            int id = idBeingRead(kryo);
            Collection<Object> list = super.read(kryo, input, type);
            return list == null ? null : registeredInstead(kryo, id, list, Arrays.asList(list.toArray()));
        }
    }

    /** {@code List.of} as Kryo's own serializer writes it (no null elements), its size checked first. */
    static final class ImmutableLists extends Collections {
        ImmutableLists() {
            super(false);
        }

        @Override
        protected Collection<Object> create(
                Kryo kryo, Input input, Class<? extends Collection<Object>> type, int size) {
            return new ArrayList<>(check(input, size, 1, 2 * SLOT, "a list"));
        }

        @Override
        public void write(Kryo kryo, Output output, Collection<Object> list) {
            writeMadeFromElements(kryo, list, () -> super.write(kryo, output, list));
        }

        @Override
        public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
            int id = idBeingRead(kryo);
            Collection<Object> list = super.read(kryo, input, type);
            return list == null ? null : registeredInstead(kryo, id, list, List.of(list.toArray()));
        }
    }

    /** {@code Set.of} as Kryo's own serializer writes it; its elements pass {@link HashKeys}. */
    static final class ImmutableSets extends HashedCollections {
        ImmutableSets() {
            super(false);
        }

        @Override
        protected Collection<Object> create(
                Kryo kryo, Input input, Class<? extends Collection<Object>> type, int size) {
            check(input, size, 1, 3 * SLOT, "a set");
            return new HashSet<>();
        }

        @Override
        boolean hashes(Class<?> type) {
            return true;
        }

        @Override
        boolean treeBins() {
            return false; // Set.of probes a flat table: equal hashes cost linear time each
        }

        @Override
        boolean copiedAsRead() {
            return true;
        }

        @Override
        public void write(Kryo kryo, Output output, Collection<Object> set) {
            writeMadeFromElements(kryo, set, () -> super.write(kryo, output, set));
        }

        @Override
        public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
            int id = idBeingRead(kryo);
            Collection<Object> set = super.read(kryo, input, type);
            if (set == null) {
                return null;
            }
            Set<Object> copy = Set.of(set.toArray());
            if (input instanceof SnapshotInput) {
                ((SnapshotInput) input).earlyHashed().copied(set, copy);
            }
            return registeredInstead(kryo, id, set, copy);
        }
    }

    /** {@code Map.of} as Kryo's own serializer writes it; its keys pass {@link HashKeys}. */
    static final class ImmutableMaps extends Maps {
        ImmutableMaps() {
            setKeysCanBeNull(false);
            setValuesCanBeNull(false);
        }

        @Override
        protected Map<Object, Object> create(
                Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
            check(input, size, 2, 3 * HASH_SLOTS, "a map");
            return new HashMap<>();
        }

        @Override
        boolean hashes(Class<?> type) {
            return true;
        }

        @Override
        boolean treeBins() {
            return false; // Map.of probes a flat table
        }

        @Override
        boolean copiedAsRead() {
            return true;
        }

        @Override
        public void write(Kryo kryo, Output output, Map<Object, Object> map) {
            writeMadeFromElements(kryo, map, () -> super.write(kryo, output, map));
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            int id = idBeingRead(kryo);
            Map<Object, Object> map = super.read(kryo, input, type);
            if (map == null) {
                return null;
            }
            Map<Object, Object> copy = Map.copyOf(map);
            if (input instanceof SnapshotInput) {
                ((SnapshotInput) input).earlyHashed().copied(map, copy);
            }
            return registeredInstead(kryo, id, map, copy);
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
        protected Map<Object, Object> create(
                Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
            if (!accessOrderRead) {
                return super.create(kryo, input, type, size);
            }
            accessOrderRead = false;
            int checked = check(input, size, 2, HASH_SLOTS, "a map");
            return new LinkedHashMap<>(Math.max(16, (int) (checked / 0.75f) + 1), 0.75f, true);
        }

        /** Maps up to this size may be probed on a copy; larger ones go through Java serialization. */
        private static final int PROBED_COPY_MAX = 64;

        /**
         * Where the map's private access-order flag lies, read through Kryo's Unsafe; -1 where
         * Unsafe or the field is missing. Probing a copy cost 250 ns a map, a tenth of writing a
         * workflow of many small units (each has two linked maps of control links).
         */
        private static final long ACCESS_ORDER_OFFSET = accessOrderOffset();

        private static long accessOrderOffset() {
            if (UnsafeAccess.UNSAFE == null) {
                return -1;
            }
            try {
                Field flag = LinkedHashMap.class.getDeclaredField("accessOrder");
                return flag.getType() == boolean.class ? UnsafeAccess.UNSAFE.objectFieldOffset(flag) : -1;
            } catch (NoSuchFieldException | RuntimeException e) {
                return -1; // another JDK's LinkedHashMap: probe instead
            }
        }

        /** Whether {@link #isAccessOrdered} reads the flag itself (on every JDK we run on). */
        static boolean readsTheFlag() {
            return ACCESS_ORDER_OFFSET >= 0;
        }

        /** The map's private access-order flag, which no public method tells. */
        static boolean isAccessOrdered(LinkedHashMap<?, ?> map) {
            return ACCESS_ORDER_OFFSET >= 0
                    ? UnsafeAccess.UNSAFE.getBoolean(map, ACCESS_ORDER_OFFSET)
                    : probeAccessOrder(map);
        }

        /** The flag told by how the map behaves, for a JVM without Unsafe. */
        static boolean probeAccessOrder(LinkedHashMap<?, ?> map) {
            return copyIsSafe(map) ? copyReordersOnAccess(map) : lastSerializedByte(map) == 1;
        }

        /**
         * Whether the map may be cloned to probe it. {@code clone} re-hashes every key, so only a
         * plain LinkedHashMap (no subclass's put hooks) of JDK value keys or identity keys
         * qualifies: any other key's hashCode is the application's code, and a key that reaches
         * the map again (a list holding it, say) recurses until the stack overflows.
         */
        private static boolean copyIsSafe(LinkedHashMap<?, ?> map) {
            if (map.getClass() != LinkedHashMap.class || map.size() > PROBED_COPY_MAX) {
                return false;
            }
            for (Object key : map.keySet()) {
                if (key != null
                        && !(key instanceof Enum<?>)
                        && !HashKeys.isPlainValue(key.getClass())
                        && !IDENTITY_KEYS.get(key.getClass())) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Classes that keep Object's hashCode and equals (a unit, as in every unit's control
         * links): hashing one runs no application code and visits nothing else, so a map of them
         * may be probed on a copy instead of through Java serialization, which cost a quarter of
         * writing a workflow of many small units.
         */
        private static final ClassValue<Boolean> IDENTITY_KEYS = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                try {
                    return type.getMethod("hashCode").getDeclaringClass() == Object.class
                            && type.getMethod("equals", Object.class).getDeclaringClass() == Object.class;
                } catch (NoSuchMethodException e) {
                    return false; // every class has both; never taken
                }
            }
        };

        /** The probe's keys: cached boxes that hash to themselves, so no new object needs an identity hash. */
        private static final Integer PROBE_FIRST = 0;

        private static final Integer PROBE_SECOND = 1;

        /**
         * Whether a copy of the map moves an entry to the end when it is read: {@code clone} keeps
         * the flag, and the copy can be emptied and probed without touching the map itself.
         */
        @SuppressWarnings("unchecked")
        private static boolean copyReordersOnAccess(LinkedHashMap<?, ?> map) {
            LinkedHashMap<Object, Object> copy = (LinkedHashMap<Object, Object>) map.clone();
            copy.clear();
            // Two new Objects as keys each needed an identity hash from a VM call: 324-785 ns a
            // probe of a one-entry map then, 254-260 ns with these.
            copy.put(PROBE_FIRST, Boolean.TRUE);
            copy.put(PROBE_SECOND, Boolean.TRUE);
            copy.get(PROBE_FIRST);
            return copy.keySet().iterator().next() != PROBE_FIRST;
        }

        /**
         * The last byte Java serialization writes for the map: its access-order flag. Its entries
         * are replaced by nulls, and only the last byte is kept.
         */
        private static int lastSerializedByte(LinkedHashMap<?, ?> map) {
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
            return last.value;
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

    /**
     * An object array in Kryo's layout: its length plus one (zero for null), then its elements,
     * without their classes where the element class was final (see {@link ArrayElementClasses},
     * which decides that from what the snapshot recorded rather than from today's class).
     */
    static final class ObjectArrays extends Serializer<Object[]> {
        private final ArrayElementClasses elements;

        ObjectArrays(ArrayElementClasses elements) {
            super(true);
            this.elements = elements;
        }

        @Override
        public void write(Kryo kryo, Output output, Object[] array) {
            if (array == null) {
                output.writeByte(Kryo.NULL);
                return;
            }
            output.writeVarInt(array.length + 1, true);
            Class<?> element = array.getClass().getComponentType();
            if (elements.typedOnWrite(element)) {
                Serializer<?> serializer = kryo.getSerializer(element);
                for (Object value : array) {
                    kryo.writeObjectOrNull(output, value, serializer);
                }
            } else {
                for (Object value : array) {
                    kryo.writeClassAndObject(output, value);
                }
            }
        }

        @Override
        public Object[] read(Kryo kryo, Input input, Class<? extends Object[]> type) {
            int declared = input.readVarInt(true);
            if (declared == Kryo.NULL) {
                return null;
            }
            int length = check(input, declared - 1, 1, SLOT, "an array");
            Class<?> element = type.getComponentType();
            Object[] array = (Object[]) java.lang.reflect.Array.newInstance(element, length);
            kryo.reference(array);
            ArrayElementClasses.readElements(kryo, input, array, element, elements.typedOnRead(element));
            return array;
        }
    }
}
