package io.veles.pickle;

import com.esotericsoftware.kryo.util.DefaultClassResolver;
import io.veles.snapshot.SnapshotException;

/**
 * Kryo's class resolver, with every class name read from a snapshot mapped through the restore
 * rules' renames and checked against their allowlist before loading.
 */
final class AllowListClassResolver extends DefaultClassResolver {
    private final RestoreRules rules;

    /** {@code rules} is null when writing, where nothing is loaded by name. */
    AllowListClassResolver(RestoreRules rules) {
        this.rules = rules;
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
            throw new SnapshotException("snapshot names class " + className + (current.equals(className) ? ""
                    : " (renamed to " + current + ")") + ", which the code no longer has (renamed, moved or removed?"
                    + " map it with --rename-class OLD=NEW)", e);
        }
    }
}
