package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.ReferenceResolver;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.IdentityMap;
import com.esotericsoftware.kryo.util.Util;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.workflow.Bool;
import io.veles.workflow.Unit;
import org.slf4j.Logger;

import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Builds the Kryo instance for one snapshot write or read. One instance per operation: Kryo is
 * not thread-safe, and its per-graph tables (references, class names) must not outlive a
 * snapshot.
 */
final class SnapshotKryo {
    /**
     * Deepest nesting of objects inside one unit (units themselves never nest: they are written by
     * number). Deeper state is refused, when written and when read, instead of overflowing the
     * stack; the system property {@code veles.snapshot.maxDepth} changes it.
     */
    static final int MAX_DEPTH = Integer.getInteger("veles.snapshot.maxDepth", 512);

    final Kryo kryo;
    final FieldsSerializer fields;

    /** A session for reading a payload of the current format with {@code rules}. */
    SnapshotKryo(PickleContext context, RestoreRules rules) {
        this(context, rules, false, SnapshotFormat.VERSION);
    }

    /** A session for writing ({@code writing}) or reading the current format. */
    SnapshotKryo(PickleContext context, RestoreRules rules, boolean writing) {
        this(context, rules, writing, SnapshotFormat.VERSION);
    }

    /**
     * A session for writing ({@code writing}) or reading a payload of format {@code version}. Both
     * ask {@code rules}' allowlist: a write refuses what a read with the same rules would refuse.
     * Null rules check nothing.
     */
    SnapshotKryo(PickleContext context, RestoreRules rules, boolean writing, int version) {
        AllowListClassResolver classes = new AllowListClassResolver(rules, writing);
        UnitsByNumber numbers =
                new UnitsByNumber(classes, writing && WrittenHashWork.checking ? new WrittenHashWork() : null);
        fields = new FieldsSerializer(context, numbers);
        kryo = new Kryo(classes, numbers);
        if (rules != null) {
            kryo.setClassLoader(rules.allowList().classLoader()); // a workflow may come from a plugin's loader
        }
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        kryo.setAutoReset(false);
        kryo.setMaxDepth(MAX_DEPTH);
        kryo.setDefaultSerializer(new CapturedClasses(fields));
        // Records too: Kryo's own record serializer reads components by position, with no schema.
        kryo.addDefaultSerializer(Record.class, new CapturedClasses(fields));
        kryo.addDefaultSerializer(Unit.class, new UnitReferenceSerializer(context));
        if (version >= BoolLayout.FIRST_VERSION) { // before, a Bool was written field by field
            kryo.addDefaultSerializer(Bool.class, new BoolSerializer(context));
        }
        kryo.addDefaultSerializer(Enum.class, new SerializerFactory.BaseSerializerFactory<EnumByName>() {
            @Override
            public EnumByName newSerializer(Kryo k, Class type) {
                return new EnumByName(type);
            }
        });
        PrimitiveArraySerializers.register(kryo);
        BoundedContainers.register(kryo, context.arrayElements());
        SortedContainers.register(kryo);
        ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
        EverydayValues.register(kryo);
    }

    /**
     * Units are numbered by the {@link UnitTable}; Kryo tracks references for everything else.
     * Written objects are numbered by {@link IdentityNumbers} (Kryo's map rehashes every object
     * as it grows, and looks each new one up twice); read ones are listed in {@link
     * ReferencePages}, not in one large array (see there why).
     */
    static final class UnitsByNumber implements ReferenceResolver {
        private final AllowListClassResolver classes;
        private final IdentityNumbers written = new IdentityNumbers();
        /**
         * The objects being written that a restore makes from their components (records, List.of,
         * Set.of, Map.of), innermost last: a reference back to one is a cycle no restore can build.
         */
        private final java.util.ArrayDeque<Object> openRecords = new java.util.ArrayDeque<>();

        private final ReferencePages read = new ReferencePages(0);
        private int readCount;

        /** Asked for every object written or read: the answer depends on the class alone. */
        private static final ClassValue<Boolean> TRACKED = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                return !Unit.class.isAssignableFrom(type) && !Util.isWrapperClass(type) && !Util.isEnum(type);
            }
        };

        /**
         * TRACKED's answers for this session's classes: a ClassValue lookup per object read or
         * written cost an eighth of a restore of many small objects (its per-class cache is
         * shared by every ClassValue, and misses); an identity map of the few classes met is cheaper.
         */
        private final IdentityMap<Class<?>, Boolean> trackedHere = new IdentityMap<>();

        /** When writing: the hashing work the restore will spend, and the keys it would refuse. */
        private final WrittenHashWork hashWork;

        UnitsByNumber(AllowListClassResolver classes) {
            this(classes, null);
        }

        UnitsByNumber(AllowListClassResolver classes, WrittenHashWork hashWork) {
            this.classes = classes;
            this.hashWork = hashWork;
        }

        /** The written state's hashing work (see {@link WrittenHashWork}); null when reading. */
        WrittenHashWork hashWork() {
            return hashWork;
        }

        /** Whether objects of {@code type} are tracked: all but units (numbered), boxed values and enums. */
        static boolean tracks(Class<?> type) {
            return TRACKED.get(type);
        }

        @Override
        public void setKryo(Kryo kryo) {}

        @Override
        public boolean useReferences(Class type) {
            // Kryo asks right after naming the object's class, in either direction.
            AllowListClassResolver.KnownClass last = classes.last();
            if (last != null && last.type == type) {
                return last.tracked;
            }
            Boolean tracked = trackedHere.get(type);
            if (tracked == null) {
                tracked = TRACKED.get(type);
                trackedHere.put(type, tracked);
            }
            return tracked;
        }

        /** Sizes the table for about {@code count} objects. */
        void expectWritten(int count) {
            written.expect(count);
        }

        /** Starts the lookup of {@code object}, written soon: see {@link IdentityNumbers#prefetch}. */
        void prefetch(Object object) {
            written.prefetch(object);
        }

        @Override
        public int getWrittenId(Object object) {
            int id = written.numberOf(object);
            if (id >= 0 && !openRecords.isEmpty() && isOpenRecord(object)) {
                throw new CaptureException(
                        "a " + object.getClass().getName() + " refers back to itself through its components:"
                                + " a restore makes it from them (a record, List.of, Set.of, Map.of or Arrays.asList), so no"
                                + " restore could make that cycle; use a class or a mutable collection, or break"
                                + " the cycle",
                        null);
            }
            return id;
        }

        private boolean isOpenRecord(Object object) {
            for (Object open : openRecords) {
                if (open == object) {
                    return true;
                }
            }
            return false;
        }

        /** {@code record}'s components (or elements) are being written from now until {@link #recordWritten}. */
        void writingRecord(Object record) {
            openRecords.addLast(record);
        }

        void recordWritten() {
            openRecords.removeLast();
        }

        @Override
        public int addWrittenObject(Object object) {
            return written.add(object);
        }

        /** The number of the object being read: Kryo numbers an object just before its serializer reads it. */
        int idBeingRead() {
            return readCount - 1;
        }

        /**
         * Puts {@code made} where {@code placeholder} was registered as read object {@code id}, if it
         * was: an immutable collection is made from a mutable one that Kryo registered in its place.
         */
        void replaceRead(int id, Object placeholder, Object made) {
            if (id >= 0 && id < readCount && read.get(id) == placeholder) {
                read.set(id, made);
            }
        }

        @Override
        public int nextReadId(Class type) {
            if (readCount == read.capacity()) {
                read.ensureCapacity((int) Math.min(Integer.MAX_VALUE, Math.max(64, 2L * readCount)));
            }
            return readCount++;
        }

        @Override
        public void setReadObject(int id, Object object) {
            read.set(Objects.checkIndex(id, readCount), object);
        }

        @Override
        public Object getReadObject(Class type, int id) {
            Object object = read.get(Objects.checkIndex(id, readCount)); // a corrupt reference fails as out of bounds
            if (object == null) {
                // Numbered but not made yet: only a record is made after its components, so this is
                // one a component refers back to (written before such cycles were refused), or damage.
                throw new CorruptSnapshotException("snapshot holds a " + type.getName() + " that one of its own"
                        + " components refers back to before it could be made (a record in a cycle), or is corrupt");
            }
            return object;
        }

        @Override
        public void reset() {
            read.clear(readCount);
            readCount = 0;
            written.clear();
        }
    }

    /**
     * Picks the field serializer for classes Kryo has no serializer for, and refuses what cannot
     * be captured faithfully: JDK internals, lambdas, the launcher.
     */
    private static final class CapturedClasses implements SerializerFactory<Serializer<Object>> {
        private static final Serializer<Object> PLAIN_OBJECTS = new Serializer<>() {
            @Override
            public void write(Kryo kryo, Output output, Object object) {}

            @Override
            public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
                return new Object();
            }
        };

        private final FieldsSerializer fields;

        CapturedClasses(FieldsSerializer fields) {
            this.fields = fields;
        }

        @Override
        public Serializer<Object> newSerializer(Kryo kryo, Class type) {
            String name = type.getName();
            String hint = "; mark the field transient or end its name with '_' and rebuild it in initUnpickled()";
            if (name.contains("$$Lambda") || name.contains("$Lambda$")) {
                throw new CaptureException("cannot capture a lambda (" + name + ")" + hint, null);
            }
            if (type == Object.class) {
                return PLAIN_OBJECTS; // a lock or a marker: identity is all it has, and references keep that
            }
            if (Random.class.isAssignableFrom(type) || type == SplittableRandom.class) {
                throw new CaptureException(
                        "cannot capture a " + name + ": its position cannot be read, so a resumed"
                                + " run would draw other numbers; draw from the workflow's captured generator random()"
                                + " (io.veles.random.Prng), which resumes exactly where it stopped",
                        null);
            }
            if (Logger.class.isAssignableFrom(type)) {
                throw new CaptureException(
                        "cannot capture a logger (" + name + "): a logger is not state; make the"
                                + " field static (private static final Logger LOG = LoggerFactory.getLogger(...)) or transient",
                        null);
            }
            if (name.startsWith("java.")
                    || name.startsWith("javax.")
                    || name.startsWith("jdk.")
                    || name.startsWith("sun.")
                    || name.startsWith("com.sun.")) {
                throw new CaptureException(
                        "cannot capture a " + name + ": a JDK class with no snapshot support" + hint, null);
            }
            if (name.startsWith("io.veles.launcher.")) {
                throw new CaptureException(
                        "cannot capture a " + name + ": the launcher is never part of a snapshot" + hint, null);
            }
            if (Thread.class.isAssignableFrom(type)) {
                throw new CaptureException("cannot capture a thread (" + name + ")" + hint, null);
            }
            return fields;
        }

        @Override
        public boolean isSupported(Class type) {
            return true;
        }
    }

    static SnapshotException unwrap(RuntimeException e, String what) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SnapshotException) {
                return (SnapshotException) cause;
            }
        }
        String message =
                e.getMessage() == null ? e.getClass().getName() : e.getMessage().split("\n", 2)[0];
        if (message.startsWith("Max depth exceeded")) {
            message = "objects nest deeper than " + MAX_DEPTH + " levels (the bound is the system property"
                    + " veles.snapshot.maxDepth)";
        }
        return new SnapshotException(what + ": " + message, e);
    }
}
