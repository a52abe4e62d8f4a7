package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.IdentityMap;
import com.esotericsoftware.kryo.util.IdentityObjectIntMap;
import com.esotericsoftware.kryo.util.Util;
import io.veles.errors.IncompatibleSnapshotException;
import io.veles.internal.util.Printable;
import io.veles.pickle.RestoreRules;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Kryo's class resolver, asking one {@link ClassAllowList} on both sides. When reading, every
 * class name read from a snapshot is mapped through the restore rules' renames and checked before
 * loading. When writing, every class name is checked as it is first written, so that a snapshot
 * that a restore with the same rules would refuse is refused at save.
 *
 * <p>Each class met by name (and, when reading, each met by Kryo's number) is then remembered in
 * one {@link KnownClass}: Kryo looked a class up twice per object written (its registration, then
 * its name id) and twice per object read (the class by name id, then its registration), and the
 * reference resolver once more each way. The bytes written are Kryo's own.
 */
final class AllowListClassResolver extends DefaultClassResolver {
    /** Name ids up to this many are remembered in an array when read; a payload may claim any. */
    private static final int MAX_REMEMBERED_NAME_IDS = 1 << 16;

    /** A class named in this session: how Kryo registered it, and whether its objects are tracked. */
    static final class KnownClass {
        final Class<?> type;
        final Registration registration;
        /** The name id written for it; -1 for a class Kryo registered by number. */
        final int nameId;

        final boolean tracked;

        KnownClass(Class<?> type, Registration registration, int nameId) {
            this.type = type;
            this.registration = registration;
            this.nameId = nameId;
            this.tracked = SnapshotKryo.UnitsByNumber.tracks(type);
        }
    }

    private final RestoreRules rules;
    private final boolean writing;
    private Set<String> unitClasses = Set.of();
    private RemovedUnitClasses removedUnits;
    private final IdentityMap<Class<?>, KnownClass> written = new IdentityMap<>();
    private KnownClass[] readByNameId = new KnownClass[0];
    private KnownClass[] readById = new KnownClass[0];
    /** The class last written or read: Kryo asks whether it is tracked right after. */
    private KnownClass last;

    /** {@code writing} tells whether names are written (checked) or read (checked, mapped and loaded). */
    AllowListClassResolver(RestoreRules rules, boolean writing) {
        this.rules = rules;
        this.writing = writing;
    }

    /**
     * The name a class is written under: its own, except a path of any file-system provider,
     * which is written as {@code java.nio.file.Path} and rebuilt from its string on restore.
     */
    static String writtenName(Class<?> type) {
        return Path.class.isAssignableFrom(type) ? Path.class.getName() : type.getName();
    }

    /**
     * An enum constant with a body ({@code Op$1}) is written as its enum, {@code Op}: a constant
     * is read by its name, and the code may drop the body, taking the class {@code Op$1} away.
     */
    private static Class<?> writtenClass(Class<?> type) {
        return !type.isEnum()
                        && Enum.class.isAssignableFrom(type)
                        && type.getSuperclass().isEnum()
                ? type.getSuperclass()
                : type;
    }

    /** The class last written or read, or null. */
    KnownClass last() {
        return last;
    }

    /** As Kryo's, but a class met before is named from its {@link KnownClass} in one lookup. */
    @Override
    public Registration writeClass(Output output, Class type) {
        if (type == null) {
            return super.writeClass(output, null);
        }
        type = writtenClass(type);
        KnownClass known = last != null && last.type == type ? last : written.get(type);
        if (known == null) {
            String refusal = writing ? BoundedContainers.refusalOfSubclass(type) : null;
            if (refusal != null) {
                throw new CaptureException(refusal, null);
            }
            Registration registration = super.writeClass(output, type);
            int nameId = registration.getId() == NAME ? classToNameId.get(type, -1) : -1;
            known = new KnownClass(type, registration, nameId);
            written.put(type, known);
        } else if (known.nameId >= 0) {
            output.writeVarInt(NAME + 2, true);
            output.writeVarInt(known.nameId, true);
        } else {
            output.writeVarInt(known.registration.getId() + 2, true);
        }
        last = known;
        return known.registration;
    }

    /** As Kryo's, but a name id read before gives its class's {@link KnownClass} from an array. */
    @Override
    protected Registration readName(Input input) {
        int nameId = input instanceof SnapshotInput ? ((SnapshotInput) input).peekVarInt() : -1;
        if (nameId >= 0 && nameId < readByNameId.length && readByNameId[nameId] != null) {
            input.readVarInt(true);
            last = readByNameId[nameId];
            return last.registration;
        }
        Registration registration = super.readName(input);
        last = null;
        if (nameId >= 0 && nameId < MAX_REMEMBERED_NAME_IDS) {
            if (nameId >= readByNameId.length) {
                readByNameId = Arrays.copyOf(readByNameId, Math.max(16, Integer.highestOneBit(nameId) << 1));
            }
            last = readByNameId[nameId] = new KnownClass(registration.getType(), registration, nameId);
        }
        return registration;
    }

    @Override
    public Registration readClass(Input input) {
        last = null; // readName sets it for a class by name
        Registration registration = super.readClass(input);
        if (last == null && registration != null && registration.getId() >= 0) {
            last = registeredById(registration);
        }
        return registration;
    }

    /**
     * The {@link KnownClass} of a class Kryo registered by number (String, the boxed values):
     * set as {@link #last} like a class read by name, so that asking whether its objects are
     * tracked needs no lookup. A boxed value's registration is its primitive class's, and Kryo
     * asks about the wrapper: the wrapper is what is remembered.
     */
    private KnownClass registeredById(Registration registration) {
        int id = registration.getId();
        if (id >= readById.length) {
            readById = Arrays.copyOf(readById, Math.max(32, Integer.highestOneBit(id) << 1));
        }
        KnownClass known = readById[id];
        if (known == null || known.registration != registration) {
            Class<?> type = registration.getType();
            known = readById[id] =
                    new KnownClass(type.isPrimitive() ? Util.getWrapperClass(type) : type, registration, -1);
        }
        return known;
    }

    /** Forgets the names this session met, with Kryo's tables of them. */
    @Override
    public void reset() {
        super.reset();
        written.clear();
        Arrays.fill(readByNameId, null);
        last = null;
    }

    /** As Kryo's, with the name checked the first time it is written and paths named by their interface. */
    @Override
    protected void writeName(Output output, Class type, Registration registration) {
        output.writeVarInt(NAME + 2, true);
        int nameId = classToNameId == null ? -1 : classToNameId.get(type, -1);
        if (nameId != -1) {
            output.writeVarInt(nameId, true);
            return;
        }
        String name = writtenName(type);
        if (writing && rules != null) {
            String refusal = rules.allowList().refusalToSave(name);
            if (refusal != null) {
                throw new CaptureException(refusal, null);
            }
        }
        nameId = nextNameId++;
        if (classToNameId == null) {
            classToNameId = new IdentityObjectIntMap<>();
        }
        classToNameId.put(type, nameId);
        output.writeVarInt(nameId, true);
        // As Kryo writes a name: an ASCII one without its length, its last byte marked.
        if (Util.isAscii(name)) {
            output.writeAscii(name);
        } else {
            output.writeString(name);
        }
    }

    /**
     * The unit classes the manifest lists: one of them that the code no longer has restores as a
     * {@link io.veles.workflow.RemovedUnit}, instead of failing the restore.
     */
    void unitClasses(Set<String> names) {
        this.unitClasses = Set.copyOf(names);
    }

    /**
     * The classes the manifest describes field by field, and the classes of its units (the main
     * workflow's included): what each class read was when saved, to tell a class that changed
     * kind (a plain class made a unit or an enum, a unit made a plain class) from corruption.
     */
    void recordedKinds(Set<String> described, Set<String> units) {
        recordedKinds(described, units, serializer -> serializer instanceof FieldsSerializer);
    }

    /**
     * As {@link #recordedKinds(Set, Set)}, for a reader whose serializer of classes of fields is
     * another ({@code readsFields} tells it): the reader of state as data has its own.
     */
    void recordedKinds(Set<String> described, Set<String> units, Predicate<Serializer<?>> readsFields) {
        this.described = Set.copyOf(described);
        this.allUnitClasses = Set.copyOf(units);
        this.readsFields = readsFields;
    }

    private Predicate<Serializer<?>> readsFields = serializer -> serializer instanceof FieldsSerializer;

    private Set<String> described;
    private Set<String> allUnitClasses;

    @Override
    protected Class<?> getTypeByName(String className) {
        Class<?> known = super.getTypeByName(className);
        if (known != null || writing || rules == null) {
            return known;
        }
        String current = currentName(className);
        rules.allowList().check(current);
        Class<?> loaded;
        try {
            // Loaded here rather than by Kryo, so that a class the code no longer has is reported
            // as a code change, not as corruption. Never initialised: no static code runs.
            loaded = Class.forName(current, false, kryo.getClassLoader());
        } catch (ClassNotFoundException e) {
            // an array of a unit class (Worker[]) is named by its JVM name, [Lcom.x.Worker;
            int dimensions = arrayDimensions(className);
            String unitName = dimensions == 0 ? className : objectElementName(className, dimensions);
            boolean unit = current.equals(className) && unitName != null && unitClasses.contains(unitName);
            if (unit && rules.unitClassRemoved(unitName)) {
                if (removedUnits == null) {
                    removedUnits = new RemovedUnitClasses(kryo.getClassLoader());
                }
                Class<?> standIn = removedUnits.standIn(unitName);
                return dimensions == 0
                        ? standIn
                        : java.lang.reflect.Array.newInstance(standIn, new int[dimensions])
                                .getClass();
            }
            String shown = Printable.escape(unit ? unitName : className); // from the payload: may hold any character
            throw new IncompatibleSnapshotException(
                    "snapshot names class " + shown
                            + (current.equals(className) ? "" : " (renamed to " + Printable.escape(current) + ")")
                            + ", which the code no longer has (renamed, moved or removed?"
                            + " map it with --rename-class OLD=NEW"
                            + (unit
                                    ? "; a unit class removed on purpose: --removed-unit-class " + shown
                                            + " (RestoreRules.removedUnitClass) restores its units as placeholders that do nothing"
                                    : "")
                            + ")",
                    e);
        }
        checkKind(className, loaded);
        if (loaded.isArray()) {
            String element = objectElementName(className, arrayDimensions(className));
            if (element != null) {
                checkElementKind(element, elementClass(loaded));
            }
        }
        return loaded;
    }

    private static int arrayDimensions(String name) {
        int dimensions = 0;
        while (dimensions < name.length() && name.charAt(dimensions) == '[') {
            dimensions++;
        }
        return dimensions;
    }

    /** The element class named by array name {@code name} ({@code [[Lcom.x.P;} gives com.x.P), or null for primitives. */
    private static String objectElementName(String name, int dimensions) {
        String element = name.substring(dimensions);
        return element.length() > 2 && element.startsWith("L") && element.endsWith(";")
                ? element.substring(1, element.length() - 1)
                : null;
    }

    private static Class<?> elementClass(Class<?> array) {
        Class<?> element = array;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        return element;
    }

    /**
     * Today's name of a class the snapshot names: the restore rules' renames, applied to the
     * element class of an array ({@code [Lold.Name;} becomes {@code [Lnew.Name;}), which is named
     * on the wire by its JVM name.
     */
    private String currentName(String recorded) {
        int dimensions = 0;
        while (dimensions < recorded.length() && recorded.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions == 0) {
            return rules.currentName(recorded);
        }
        String element = recorded.substring(dimensions);
        if (!element.startsWith("L") || !element.endsWith(";")) {
            return recorded; // an array of primitives
        }
        String renamed = rules.currentName(element.substring(1, element.length() - 1));
        return recorded.substring(0, dimensions) + "L" + renamed + ";";
    }

    /** Whether {@code type}'s objects are saved field by field today, as the manifest describes such classes. */
    private boolean savedFieldByField(Class<?> type) {
        try {
            return readsFields.test(kryo.getDefaultSerializer(type));
        } catch (RuntimeException e) {
            return false; // a class that cannot be captured (a lambda): refused where it is read
        }
    }

    /**
     * As {@link #checkKind}, for the element class of an array the snapshot names. An array names
     * its element class even when it holds no element of it (empty, or all null), so only what
     * the manifest says positively counts: a class it describes (saved field by field) or one of
     * its units' classes. Elements of a class saved otherwise that is now a class of fields (an
     * enum made a class) are refused where they are read, as the manifest describes no fields for them.
     */
    private void checkElementKind(String recordedName, Class<?> today) {
        if (described == null || today.isPrimitive()) {
            return;
        }
        boolean wasUnit = allUnitClasses.contains(recordedName);
        boolean wasDescribed = described.contains(recordedName);
        boolean isUnit = io.veles.workflow.Unit.class.isAssignableFrom(today);
        if ((wasUnit && !isUnit) || (wasDescribed && (isUnit || today.isEnum() || !savedFieldByField(today)))) {
            checkKind(recordedName, today); // names the two kinds, as for a class named on its own
        }
    }

    /**
     * Refuses a class whose kind changed since the snapshot: its objects were written by another
     * serializer than today's class would read them with (a unit by its number, an enum by its
     * name, any other class field by field), and read so they would misread the payload.
     */
    private void checkKind(String recordedName, Class<?> today) {
        if (described == null) {
            return;
        }
        boolean wasUnit = allUnitClasses.contains(recordedName);
        boolean wasDescribed = described.contains(recordedName);
        boolean isUnit = io.veles.workflow.Unit.class.isAssignableFrom(today);
        String was = null;
        String is = null;
        if (isUnit && !wasUnit) {
            // a class not described was written by a serializer of its own: an enum's name, a collection
            was = wasDescribed ? "a plain class" : "no unit (an enum, or a class of the JDK's)";
            is = "a unit";
        } else if (wasUnit && !isUnit) {
            was = "a unit";
            is = today.isEnum() ? "an enum" : "no unit";
        } else if (today.isEnum() && wasDescribed) {
            was = "a class";
            is = "an enum";
        } else if (!wasDescribed && !wasUnit && !isUnit && !today.isEnum() && savedFieldByField(today)) {
            // the manifest describes every class saved field by field: this one was saved otherwise
            was = "no class of fields (an enum, or a class of the JDK's)";
            is = "a class of fields";
        } else if (wasDescribed && !isUnit && !today.isEnum() && !savedFieldByField(today)) {
            // saved field by field, read today by another serializer (a class made a list or a map)
            was = "a class of fields";
            is = "read otherwise (a collection or a map)";
        }
        if (was != null) {
            String shown = Printable.escape(recordedName);
            throw new IncompatibleSnapshotException("snapshot holds objects of " + shown + " as " + was
                    + ", and the code's " + today.getName() + " is " + is
                    + ": its objects cannot be read as such (restore with the code that saved it)");
        }
    }
}
