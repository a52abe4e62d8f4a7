package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.pickle.ArraySpill;
import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedEnum;
import io.veles.pickle.SavedObject;
import io.veles.snapshot.format.ClassDescription;
import io.veles.snapshot.format.SnapshotFormat;
import io.veles.workflow.Bool;
import io.veles.workflow.Unit;
import org.objenesis.instantiator.ObjectInstantiator;
import org.objenesis.strategy.InstantiatorStrategy;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The Kryo set-up that reads a payload into {@link SavedObject}s: the writer's format, read
 * without instantiating any class outside the JDK. Each serializer here mirrors one of the
 * writer's (fields, unit numbers, enum names, object arrays, enum sets, sorted containers, which
 * come back unsorted, in the order written); anything else that would
 * instantiate a class of the workflow is refused instead of run.
 */
final class SavedStateSerializers {
    private final Map<String, ClassDescription> recorded;
    private final RestoreRules rules;
    private final List<SavedObject> units = new ArrayList<>();
    private final Kryo kryo;

    SavedStateSerializers(Map<String, ClassDescription> recorded, RestoreRules rules) {
        this(recorded, rules, null);
    }

    /** With {@code spill} not null, numeric arrays are copied there as {@link SpilledArray}s. */
    SavedStateSerializers(Map<String, ClassDescription> recorded, RestoreRules rules, ArraySpill spill) {
        this(recorded, rules, spill, new ArrayElementClasses(null, rules));
    }

    /** As above, reading object arrays as {@code arrayElements} says they were written. */
    SavedStateSerializers(
            Map<String, ClassDescription> recorded,
            RestoreRules rules,
            ArraySpill spill,
            ArrayElementClasses arrayElements) {
        this(recorded, rules, spill, arrayElements, SnapshotFormat.VERSION);
    }

    /** As above, for a payload of format {@code version}. */
    SavedStateSerializers(
            Map<String, ClassDescription> recorded,
            RestoreRules rules,
            ArraySpill spill,
            ArrayElementClasses arrayElements,
            int version) {
        this.recorded = recorded;
        this.rules = rules;
        AllowListClassResolver classes = new AllowListClassResolver(rules, false);
        kryo = new Kryo(classes, new SnapshotKryo.UnitsByNumber(classes));
        kryo.setClassLoader(rules.allowList().classLoader());
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        kryo.setAutoReset(false);
        kryo.setMaxDepth(SnapshotKryo.MAX_DEPTH);
        kryo.setInstantiatorStrategy(new JdkClassesOnly());
        Fields fields = new Fields();
        kryo.setDefaultSerializer(new SerializerFactory.SingletonSerializerFactory<>(fields));
        kryo.addDefaultSerializer(Record.class, fields);
        kryo.addDefaultSerializer(Unit.class, new UnitNumbers());
        if (version >= BoolLayout.FIRST_VERSION) {
            kryo.addDefaultSerializer(Bool.class, new Bools());
        }
        kryo.addDefaultSerializer(Enum.class, new SerializerFactory.BaseSerializerFactory<EnumNames>() {
            @Override
            public EnumNames newSerializer(Kryo k, Class type) {
                return new EnumNames(type);
            }
        });
        kryo.addDefaultSerializer(EnumSet.class, new EnumSets());
        kryo.addDefaultSerializer(EnumMap.class, new EnumMaps());
        kryo.addDefaultSerializer(TreeMap.class, new SortedMaps());
        kryo.addDefaultSerializer(TreeSet.class, new SortedCollections(LinkedHashSet::new));
        kryo.addDefaultSerializer(PriorityQueue.class, new SortedCollections(ArrayList::new));
        // Ahead of the bounded Object[] serializer, which would build arrays of the saved classes.
        kryo.addDefaultSerializer(Object[].class, new ObjectArrays(spill != null, arrayElements));
        // The writer's own serializers for numeric arrays and JDK containers, as GraphReader uses them.
        if (spill != null) {
            SpillingArraySerializers.register(kryo, spill); // the first default serializer registered wins
        }
        PrimitiveArraySerializers.register(kryo);
        BoundedContainers.register(kryo, arrayElements);
        ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
        EverydayValues.register(kryo); // their EnumMap comes after ours above, and is not used here
    }

    Kryo kryo() {
        return kryo;
    }

    /** Whether {@code serializer} is this reader's serializer of classes of fields. */
    static boolean readsFields(Serializer<?> serializer) {
        return serializer instanceof Fields;
    }

    /** The units met so far, by number; their fields are read by {@link #readFields}. */
    List<SavedObject> units() {
        return units;
    }

    /** Reads {@code object}'s saved values as the writer's field serializer wrote them. */
    void readFields(Kryo kryo, Input input, SavedObject object) {
        ClassDescription description = description(object.type());
        if (description.customState()) {
            int count = ((SnapshotInput) input).checkedLength(input.readVarInt(true), 1, "a state");
            for (int i = 0; i < count; i++) {
                String key = input.readString();
                object.put(key, kryo.readClassAndObject(input));
            }
            return;
        }
        for (ClassDescription.FieldDescription field : description.fields()) {
            object.put(field.name(), FieldsSerializer.readValue(kryo, input, FieldSlot.Kind.ofTypeName(field.type())));
        }
    }

    private ClassDescription description(Class<?> type) {
        ClassDescription description = recorded.get(type.getName());
        if (description == null) {
            description = PickleContext.renamedTo(recorded, rules, type.getName());
        }
        if (description == null) {
            throw new CorruptSnapshotException(
                    "snapshot is corrupt: its manifest does not describe class " + type.getName());
        }
        return description;
    }

    /** True for classes of the JDK (the boot and platform loaders'), and arrays of them. */
    static boolean isJdk(Class<?> type) {
        while (type.isArray()) {
            type = type.getComponentType();
        }
        ClassLoader loader = type.getClassLoader();
        return type.isPrimitive() || loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    private abstract static class ReadOnly<T> extends Serializer<T> {
        @Override
        public void write(Kryo kryo, Output output, T object) {
            throw new UnsupportedOperationException("saved state is read, never written");
        }
    }

    /** Objects of the workflow's classes, records included: their saved values. */
    private final class Fields extends ReadOnly<Object> {
        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            SavedObject object = new SavedObject(type, false);
            kryo.reference(object); // before the values, so that cycles back to it resolve
            readFields(kryo, input, object);
            return object;
        }
    }

    /**
     * A {@link Bool} as format 4 writes it ({@link BoolLayout}), read into the saved object its
     * fields made in formats 1 to 3: the same values under the same names, in the same order.
     */
    private static final class Bools extends ReadOnly<Object> {
        private static final String OP_CLASS = BoolLayout.OP.field.getType().getName();

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            int head = BoolLayout.readHead(input);
            SavedObject cell = new SavedObject(type, false);
            kryo.reference(cell);
            int operands = BoolLayout.operands(head);
            SavedObject left = operands > 0 ? operand(kryo, input) : null;
            SavedObject right = operands > 1 ? operand(kryo, input) : null;
            // in the order format 3 read the fields in; until then the cell has none (still being read)
            cell.put(
                    BoolLayout.OP.key,
                    new SavedEnum(OP_CLASS, BoolLayout.op(head).name()));
            cell.put(BoolLayout.LEFT.key, left);
            cell.put(BoolLayout.RIGHT.key, right);
            cell.put(BoolLayout.VALUE.key, BoolLayout.value(head));
            return cell;
        }

        private SavedObject operand(Kryo kryo, Input input) {
            SavedObject operand = BoolLayout.checkedOperand(
                    kryo.readObjectOrNull(input, Bool.class, this),
                    SavedObject.class,
                    read -> !read.fields().isEmpty());
            if (operand.type() != Bool.class) {
                throw new CorruptSnapshotException(
                        "snapshot is corrupt: an operand of a Bool is a " + operand.className());
            }
            return operand;
        }
    }

    /** A unit reference: its number; a new number's fields come later, at the top level. */
    private final class UnitNumbers extends ReadOnly<Object> {
        UnitNumbers() {
            setAcceptsNull(false);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            int number = input.readVarInt(true);
            if (number < units.size()) {
                SavedObject unit = units.get(number);
                if (unit.type() != type) {
                    throw new CorruptSnapshotException("snapshot is corrupt: unit " + number + " is a "
                            + unit.className() + ", referenced as a " + type.getName());
                }
                return unit;
            }
            if (number != units.size()) {
                throw new CorruptSnapshotException(
                        "snapshot is corrupt: reference to unit " + number + " before unit " + units.size());
            }
            SavedObject unit = new SavedObject(type, true);
            units.add(unit);
            return unit;
        }
    }

    /** An enum constant by name; {@code Enum.valueOf} would initialise the enum's class. */
    private static final class EnumNames extends ReadOnly<Object> {
        private final Class<?> type;

        EnumNames(Class<?> type) {
            this.type = type;
            setImmutable(true);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> ignored) {
            return new SavedEnum(type.getName(), input.readString());
        }
    }

    /** An EnumSet as a set of saved constants, in the order written. */
    private static final class EnumSets extends ReadOnly<Object> {
        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            Registration element = kryo.readClass(input);
            int size = ((SnapshotInput) input).checkedLength(input.readVarInt(true), 1, "an enum set");
            Set<Object> set = new LinkedHashSet<>();
            for (int i = 0; i < size; i++) {
                set.add(element.getSerializer().read(kryo, input, element.getType()));
            }
            return set;
        }
    }

    /** An EnumMap as EverydayValues writes it, keys as {@link SavedEnum}s: no enum class is initialised. */
    private static final class EnumMaps extends ReadOnly<Object> {
        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            Registration keyType = kryo.readClass(input);
            Map<Object, Object> map = new LinkedHashMap<>();
            kryo.reference(map);
            int size = ((SnapshotInput) input).checkedLength(input.readVarInt(true), 2, "an enum map");
            for (int i = 0; i < size; i++) {
                SavedEnum key = new SavedEnum(keyType.getType().getName(), input.readString());
                map.put(key, kryo.readClassAndObject(input));
            }
            return map;
        }
    }

    /**
     * A TreeMap as a LinkedHashMap in the order written: sorting would call the workflow's
     * comparator or compareTo. The comparator is read and dropped.
     */
    private static final class SortedMaps extends MapSerializer<Map<Object, Object>> {
        @Override
        protected Map<Object, Object> create(
                Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
            kryo.readClassAndObject(input);
            return new LinkedHashMap<>();
        }
    }

    /** A TreeSet or PriorityQueue, as {@link SortedMaps}: the elements in the order written. */
    private static final class SortedCollections extends CollectionSerializer<Collection<Object>> {
        private final Supplier<Collection<Object>> unsorted;

        SortedCollections(Supplier<Collection<Object>> unsorted) {
            this.unsorted = unsorted;
        }

        @Override
        protected Collection<Object> create(
                Kryo kryo, Input input, Class<? extends Collection<Object>> type, int size) {
            kryo.readClassAndObject(input);
            return unsorted.get();
        }
    }

    /**
     * An object array as Kryo's array serializer wrote it. Arrays of the workflow's classes come
     * back as {@code Object[]}, since their elements are saved objects.
     */
    private static final class ObjectArrays extends ReadOnly<Object[]> {
        /**
         * Numeric arrays read as {@link SpilledArray}s: a float[][] is then read as an Object[], and
         * so is every array of arrays above it (a float[][][] holds those Object[]s, not float[][]s).
         */
        private final boolean spilling;

        private final ArrayElementClasses elements;

        ObjectArrays(boolean spilling, ArrayElementClasses elements) {
            this.spilling = spilling;
            this.elements = elements;
            setAcceptsNull(true);
        }

        @Override
        public Object[] read(Kryo kryo, Input input, Class<? extends Object[]> type) {
            int declared = input.readVarInt(true);
            if (declared == 0) {
                return null;
            }
            int length = ((SnapshotInput) input).checkedLength(declared - 1, 1, 8, "an array");
            Class<?> component = type.getComponentType();
            boolean sameType = elements.typedOnRead(component);
            boolean elementsMayBeObjectArrays = spilling && component.isArray();
            Object[] array = sameType && isJdk(component) && !elementsMayBeObjectArrays
                    ? (Object[]) Array.newInstance(component, length)
                    : new Object[length];
            kryo.reference(array);
            ArrayElementClasses.readElements(kryo, input, array, component, sameType);
            return array;
        }
    }

    /**
     * Instantiates JDK classes only. A collection or map of the workflow's own class (a subclass
     * of ArrayList, say) is read into an ArrayList or a LinkedHashMap, in the order written; any
     * other class would need a constructor or static initialiser of the workflow to run, and is
     * refused by name.
     */
    private static final class JdkClassesOnly implements InstantiatorStrategy {
        private final InstantiatorStrategy jdk = new com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy();

        @Override
        @SuppressWarnings("unchecked")
        public <T> ObjectInstantiator<T> newInstantiatorOf(Class<T> type) {
            if (isJdk(type)) {
                return jdk.newInstantiatorOf(type);
            }
            if (Collection.class.isAssignableFrom(type)) {
                return () -> (T) new ArrayList<>();
            }
            if (Map.class.isAssignableFrom(type)) {
                return () -> (T) new LinkedHashMap<>();
            }
            throw new SnapshotException(
                    "cannot read a " + type.getName() + " without running its code;" + " only a restore can read it");
        }
    }
}
