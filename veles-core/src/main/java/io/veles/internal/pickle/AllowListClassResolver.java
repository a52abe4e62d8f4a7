package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.IdentityObjectIntMap;
import io.veles.errors.IncompatibleSnapshotException;
import io.veles.internal.util.Printable;
import io.veles.pickle.RestoreRules;

import java.nio.file.Path;
import java.util.Set;

/**
 * Kryo's class resolver, asking one {@link ClassAllowList} on both sides. When reading, every
 * class name read from a snapshot is mapped through the restore rules' renames and checked before
 * loading. When writing, every class name is checked as it is first written, so that a snapshot
 * that a restore with the same rules would refuse is refused at save.
 */
final class AllowListClassResolver extends DefaultClassResolver {
    private final RestoreRules rules;
    private final boolean writing;
    private Set<String> unitClasses = Set.of();
    private RemovedUnitClasses removedUnits;

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
        output.writeString(name);
    }

    /**
     * The unit classes the manifest lists: one of them that the code no longer has restores as a
     * {@link io.veles.workflow.RemovedUnit}, instead of failing the restore.
     */
    void unitClasses(Set<String> names) {
        this.unitClasses = Set.copyOf(names);
    }

    @Override
    protected Class<?> getTypeByName(String className) {
        Class<?> known = super.getTypeByName(className);
        if (known != null || writing || rules == null) {
            return known;
        }
        String current = rules.currentName(className);
        rules.allowList().check(current);
        try {
            // Loaded here rather than by Kryo, so that a class the code no longer has is reported
            // as a code change, not as corruption. Never initialised: no static code runs.
            return Class.forName(current, false, kryo.getClassLoader());
        } catch (ClassNotFoundException e) {
            boolean unit = current.equals(className) && unitClasses.contains(className);
            if (unit && rules.unitClassRemoved(className)) {
                if (removedUnits == null) {
                    removedUnits = new RemovedUnitClasses(kryo.getClassLoader());
                }
                return removedUnits.standIn(className);
            }
            String shown = Printable.escape(className); // read from the payload: may hold any character
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
    }
}
