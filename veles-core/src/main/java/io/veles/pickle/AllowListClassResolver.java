package io.veles.pickle;

import com.esotericsoftware.kryo.util.DefaultClassResolver;

/** Kryo's class resolver, with every class name read from a snapshot checked before loading. */
final class AllowListClassResolver extends DefaultClassResolver {
    private final ClassAllowList allowList;

    /** {@code allowList} is null when writing, where nothing is loaded by name. */
    AllowListClassResolver(ClassAllowList allowList) {
        this.allowList = allowList;
    }

    @Override
    protected Class<?> getTypeByName(String className) {
        if (allowList != null) {
            allowList.check(className);
        }
        return super.getTypeByName(className);
    }
}
