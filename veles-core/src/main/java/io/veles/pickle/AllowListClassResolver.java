package io.veles.pickle;

import com.esotericsoftware.kryo.util.DefaultClassResolver;
import io.veles.snapshot.SnapshotException;

/** Kryo's class resolver, with every class name read from a snapshot checked before loading. */
final class AllowListClassResolver extends DefaultClassResolver {
    private final ClassAllowList allowList;

    /** {@code allowList} is null when writing, where nothing is loaded by name. */
    AllowListClassResolver(ClassAllowList allowList) {
        this.allowList = allowList;
    }

    @Override
    protected Class<?> getTypeByName(String className) {
        Class<?> known = super.getTypeByName(className);
        if (known != null || allowList == null) {
            return known;
        }
        allowList.check(className);
        try {
            // Loaded here rather than by Kryo, so that a class the code no longer has is reported
            // as a code change, not as corruption. Never initialised: no static code runs.
            return Class.forName(className, false, kryo.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new SnapshotException("snapshot names class " + className
                    + ", which the code no longer has (renamed, moved or removed?)", e);
        }
    }
}
