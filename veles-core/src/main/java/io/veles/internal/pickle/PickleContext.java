package io.veles.internal.pickle;

import com.esotericsoftware.kryo.util.IdentityMap;
import io.veles.errors.IncompatibleSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.internal.util.Primitives;
import io.veles.pickle.PickleHooks;
import io.veles.pickle.Pickleable;
import io.veles.pickle.RestoreReport;
import io.veles.pickle.RestoreRules;
import io.veles.snapshot.format.ClassDescription;
import io.veles.workflow.Unit;
import org.objenesis.instantiator.ObjectInstantiator;
import org.objenesis.strategy.StdInstantiatorStrategy;
import sun.misc.Unsafe;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one snapshot write or read: the unit numbering, the classes met (written into the
 * manifest), the recorded classes and read plans (when reading), and the objects restored so far.
 */
final class PickleContext {
    private static final StdInstantiatorStrategy NO_CONSTRUCTOR = new StdInstantiatorStrategy();
    private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;

    private final UnitTable units = new UnitTable();
    private final LinkedHashMap<Class<?>, ClassDescription> classesMet = new LinkedHashMap<>();
    private final Map<String, ClassDescription> recorded;
    /**
     * By identity, as FieldsSerializer's schemas: a HashMap lookup (the class's hash, a bucket,
     * a node) was a twentieth of restoring many small objects, each asking for its class's plan.
     */
    private final IdentityMap<Class<?>, ReadPlan> plans = new IdentityMap<>();

    private final Map<Class<?>, ObjectInstantiator<?>> instantiators = new HashMap<>();
    /** Restored objects other than units, and units, apart: their hooks run helpers first. */
    private final List<Pickleable> restoredHelpers = new ArrayList<>();

    private final List<Unit> restoredUnits = new ArrayList<>();
    private final RestoreReport report;
    private final RestoreRules rules;
    private String currentUnit;

    /** The class last made by {@link #allocate}: objects of one class often come in a row. */
    private Class<?> lastAllocated;

    /** How object arrays' elements are written, or were (see {@link ArrayElementClasses}). */
    private final ArrayElementClasses arrayElements;

    /**
     * The manifest's {@code genericFields}: the recorded type arguments of each class's fields, by
     * class and key; null when the snapshot recorded none.
     */
    private final Map<String, Map<String, String>> recordedGenericFields;

    /**
     * The fields whose type arguments changed since the snapshot (and not their class), with the
     * type recorded: their values' elements are checked against today's arguments as assigned.
     */
    private final java.util.IdentityHashMap<FieldSlot, String> changedArguments = new java.util.IdentityHashMap<>();

    /** A context for writing. */
    PickleContext() {
        this(Map.of(), null, null, new ArrayElementClasses());
    }

    /** A context for reading a snapshot whose manifest describes {@code recorded} and {@code arrayElements}. */
    PickleContext(
            Map<String, ClassDescription> recorded,
            RestoreReport report,
            RestoreRules rules,
            ArrayElementClasses arrayElements) {
        this(recorded, null, report, rules, arrayElements);
    }

    /** As above, with the manifest's {@code genericFields} (null if it has none). */
    PickleContext(
            Map<String, ClassDescription> recorded,
            Map<String, Map<String, String>> recordedGenericFields,
            RestoreReport report,
            RestoreRules rules,
            ArrayElementClasses arrayElements) {
        this.recorded = recorded;
        this.recordedGenericFields = recordedGenericFields;
        this.report = report;
        this.rules = rules;
        this.arrayElements = arrayElements;
    }

    ArrayElementClasses arrayElements() {
        return arrayElements;
    }

    UnitTable units() {
        return units;
    }

    void recordClass(ClassSchema schema) {
        classesMet.computeIfAbsent(schema.type, type -> schema.describe());
    }

    List<ClassDescription> classesMet() {
        return new ArrayList<>(classesMet.values());
    }

    /** The classes met that have fields with type arguments, with those fields: the manifest's {@code genericFields}. */
    Map<String, Map<String, String>> genericFieldsMet() {
        Map<String, Map<String, String>> generic = new LinkedHashMap<>();
        for (Class<?> type : classesMet.keySet()) {
            Map<String, String> fields = ClassSchema.of(type).genericFields;
            if (!fields.isEmpty()) {
                generic.put(type.getName(), fields);
            }
        }
        return generic;
    }

    /**
     * The recorded class that {@code rules} rename to {@code current}, or null. Looked up among
     * the classes the snapshot records, not the rules' renames: two renames may end in one class
     * (A=C for old snapshots, B=C for newer), and only the one this snapshot holds is meant
     * (GraphReader refuses a snapshot holding both).
     */
    static ClassDescription renamedTo(Map<String, ClassDescription> recorded, RestoreRules rules, String current) {
        for (Map.Entry<String, ClassDescription> entry : recorded.entrySet()) {
            if (!entry.getKey().equals(current)
                    && rules.currentName(entry.getKey()).equals(current)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** The plan for reading {@code type}'s recorded fields; reports added and removed fields once. */
    ReadPlan planFor(Class<?> type) {
        ReadPlan plan = plans.get(type);
        if (plan == null) {
            ClassDescription description = recorded.get(type.getName());
            if (description == null && rules != null) {
                description = renamedTo(recorded, rules, type.getName());
                if (description != null) {
                    report.classRenamed(description.name(), type.getName());
                }
            }
            if (description == null) {
                // Every class saved field by field is described; the payload's checksum tells
                // damage apart (see SnapshotReader), so this is a class of another kind then, read
                // as an element of an array of it (an enum made a class: its constants were names).
                throw new IncompatibleSnapshotException("snapshot holds objects of " + type.getName()
                        + " that were not saved field by field (an enum, or a class of the JDK's, then), and the code's "
                        + type.getName() + " is a class of fields: its objects cannot be read as such"
                        + " (restore with the code that saved it)" + inUnit());
            }
            try {
                plan = new ReadPlan(
                        description,
                        recordedGenericFields == null ? null : recordedGenericFields.get(description.name()),
                        ClassSchema.of(type),
                        rules);
            } catch (SnapshotException e) {
                throw e.reworded(e.getMessage() + inUnit());
            }
            plan.reportTo(report);
            changedArguments.putAll(plan.changedArguments);
            plans.put(type, plan);
        }
        return plan;
    }

    /**
     * How instances of a class are made without a constructor, kept for the class's lifetime:
     * making one generates a constructor accessor, which cost more than reading a small
     * snapshot's objects when it was made anew by each restore. Objenesis shares its
     * instantiators between threads too.
     */
    private static final ClassValue<ObjectInstantiator<?>> INSTANTIATORS = new ClassValue<>() {
        @Override
        protected ObjectInstantiator<?> computeValue(Class<?> type) {
            return NO_CONSTRUCTOR.newInstantiatorOf(type);
        }
    };

    /** A new instance of {@code type} made without running any constructor. */
    Object instantiate(Class<?> type) {
        if (UNSAFE != null && (type == lastAllocated || canAllocate(type))) {
            lastAllocated = type;
            return allocate(type);
        }
        if (Modifier.isAbstract(type.getModifiers()) && !type.isArray() && !type.isPrimitive()) {
            // saved as objects of a concrete class the code has since made abstract (or an interface)
            throw new IncompatibleSnapshotException("cannot restore the objects of " + type.getName()
                    + ": the class is " + (type.isInterface() ? "an interface" : "abstract")
                    + " now, and was not when they were saved (restore with the code that saved it)" + inUnit());
        }
        return instantiators.computeIfAbsent(type, INSTANTIATORS::get).newInstance();
    }

    /**
     * Whether Unsafe can make an empty {@code type}: the same object as Objenesis's constructor
     * accessor (which runs only Object's constructor, and initialises the class as this does),
     * without the reflective call's checks, which cost a fortieth of reading many small objects.
     * Abstract classes are refused by instantiate; the rest go to Objenesis.
     */
    private static boolean canAllocate(Class<?> type) {
        return !Modifier.isAbstract(type.getModifiers()) && !type.isArray() && !type.isPrimitive();
    }

    private Object allocate(Class<?> type) {
        try {
            return UNSAFE.allocateInstance(type);
        } catch (InstantiationException e) {
            throw new SnapshotException("cannot make an instance of " + type.getName() + inUnit(), e);
        }
    }

    /**
     * Notes an object whose fields have been read. Sorted here, while the object is in the cache:
     * sorting the whole list after the restore cost a cache miss per object.
     */
    void restored(Pickleable object) {
        PickleHooks.markRestored(object);
        if (object instanceof Unit) {
            restoredUnits.add((Unit) object);
        } else {
            restoredHelpers.add(object);
        }
    }

    /** The restored objects that are not units, in the order they were read. */
    List<Pickleable> restoredHelpers() {
        return restoredHelpers;
    }

    /** The restored units, in the order their fields were read. */
    List<Unit> restoredUnits() {
        return restoredUnits;
    }

    /** Names the unit whose fields are read or written next, for messages. */
    void enterUnit(String name) {
        currentUnit = name;
    }

    /** " (unit 'name')" for messages about the unit being read or written, or "". */
    String inUnit() {
        return inUnit(currentUnit);
    }

    /** The name of the unit being read or written, or null. */
    String currentUnit() {
        return currentUnit;
    }

    /** " (unit 'name')" for messages about unit {@code name}, or "" when it is null. */
    static String inUnit(String name) {
        return name == null ? "" : " (unit '" + name + "')";
    }

    /**
     * The value to put into {@code slot}: {@code value} itself, or its conversion when the rules
     * have one for a changed type; refused with a message naming the field, both types and the
     * unit otherwise.
     */
    Object adapt(FieldSlot slot, Object value) {
        Class<?> declared = slot.field.getType();
        if (value == null ? !declared.isPrimitive() : Primitives.box(declared).isInstance(value)) {
            return fitLater(slot, value);
        }
        Class<?> target = Primitives.box(declared);
        if (value != null && rules != null && rules.canConvert(value.getClass(), target)) {
            return fitLater(slot, converted(slot, value, target));
        }
        throw new IncompatibleSnapshotException("cannot restore " + fieldName(slot)
                + ": the snapshot holds "
                + (value == null ? "null" : value.getClass().getName())
                + ", the code declares " + slot.typeName() + inUnit()
                + (value == null ? "" : "; map it with a conversion in the restore rules"));
    }

    /** The containers whose elements are fitted to changed type arguments once the graph is read. */
    private final List<Runnable> pendingFits = new ArrayList<>();

    /**
     * {@code value}, noted to have its elements fitted to {@code slot}'s type arguments when only
     * those changed ({@link ChangedTypeArguments}). Fitted once the whole graph is read and its
     * hash containers rehashed: a key read in a cycle is whole only then, and a map noted for
     * rehashing must not look changed by the fit.
     */
    private Object fitLater(FieldSlot slot, Object value) {
        String recordedType = value == null || changedArguments.isEmpty() ? null : changedArguments.get(slot);
        if (recordedType != null) {
            ChangedTypeArguments fit = new ChangedTypeArguments(
                    (element, to) -> convertedElement(slot, element, to),
                    fieldName(slot),
                    recordedType,
                    slot.field.getGenericType().getTypeName(),
                    inUnit());
            pendingFits.add(() -> fit.fit(value, slot.field.getGenericType()));
        }
        return value;
    }

    /** Fits the noted containers (see {@link #fitLater}); run after the graph's hash containers are rehashed. */
    void fitChangedArguments() {
        for (Runnable fit : pendingFits) {
            fit.run();
        }
        pendingFits.clear();
    }

    /**
     * Each saved object's conversions: an object two fields shared is converted once for both
     * when one result fits both fields, so that the result is shared as it was (and a conversion
     * with effects runs once). Values without identity (numbers, strings) are converted each time.
     */
    private final java.util.IdentityHashMap<Object, List<Object>> conversions = new java.util.IdentityHashMap<>();

    private Object converted(FieldSlot slot, Object value, Class<?> target) {
        return converted(
                value,
                target,
                () -> fieldName(slot),
                slot.typeName(),
                slot.field.getType().isPrimitive());
    }

    /**
     * An element of {@code slot}'s container converted for {@code to} by the restore rules, or
     * {@link ChangedTypeArguments#NONE} when they have no such conversion.
     */
    private Object convertedElement(FieldSlot slot, Object element, Class<?> to) {
        if (rules == null || !rules.canConvert(element.getClass(), to)) {
            return ChangedTypeArguments.NONE;
        }
        return converted(element, to, () -> "an element of " + fieldName(slot), to.getName(), false);
    }

    /**
     * {@code value} converted for {@code target}, or an earlier conversion of it that fits;
     * {@code what} and {@code targetName} name the place and its type in messages, and a null
     * result is refused when {@code primitive}.
     */
    private Object converted(
            Object value,
            Class<?> target,
            java.util.function.Supplier<String> what,
            String targetName,
            boolean primitive) {
        boolean shareable = !(value instanceof Number
                || value instanceof CharSequence
                || value instanceof Character
                || value instanceof Boolean);
        List<Object> earlier = shareable ? conversions.get(value) : null;
        if (earlier != null) {
            for (Object result : earlier) {
                if (target.isInstance(result)) {
                    return result;
                }
            }
        }
        Object result;
        try {
            result = rules.applyConversion(value, target);
        } catch (RuntimeException e) {
            throw conversionFailed(
                    what.get(),
                    value,
                    targetName,
                    "threw " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    e);
        }
        if (result == null) {
            if (primitive) {
                throw conversionFailed(
                        what.get(),
                        value,
                        targetName,
                        "returned null, which a field of type " + targetName + " cannot hold",
                        null);
            }
            return null;
        }
        if (shareable) {
            conversions.computeIfAbsent(value, saved -> new ArrayList<>(1)).add(result);
        }
        return result;
    }

    private IncompatibleSnapshotException conversionFailed(
            String place, Object value, String targetName, String what, Throwable cause) {
        return new IncompatibleSnapshotException(
                "cannot convert " + place + " from "
                        + value.getClass().getName() + " to " + targetName + inUnit()
                        + ": the restore rules' conversion " + what,
                cause);
    }

    private static String fieldName(FieldSlot slot) {
        return slot.field.getDeclaringClass().getName() + "." + slot.key;
    }
}
