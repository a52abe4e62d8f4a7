package io.veles.pickle;

import com.esotericsoftware.kryo.util.DefaultClassResolver;
import io.veles.snapshot.SnapshotException;
import java.util.Set;

/**
 * Kryo's class resolver, with every class name read from a snapshot mapped through the restore
 * rules' renames and checked against their allowlist before loading.
 */
final class AllowListClassResolver extends DefaultClassResolver {
    private final RestoreRules rules;
    private Set<String> unitClasses = Set.of();
    private RemovedUnitClasses removedUnits;

    /** {@code rules} is null when writing, where nothing is loaded by name. */
    AllowListClassResolver(RestoreRules rules) {
        this.rules = rules;
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
        if (known != null || rules == null) {
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
            throw new SnapshotException("snapshot names class " + className + (current.equals(className) ? ""
                    : " (renamed to " + current + ")") + ", which the code no longer has (renamed, moved or removed?"
                    + " map it with --rename-class OLD=NEW" + (unit ? "; a unit class removed on purpose: --removed-unit-class "
                    + className + " (RestoreRules.removedUnitClass) restores its units as placeholders that do nothing" : "") + ")", e);
        }
    }
}
