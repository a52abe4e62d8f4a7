package io.veles.velesimport;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of dictionaries and the elements of sets, checked before Java hashes them. Java hashes
 * a list, map or set by its content: on a list shared at every level ({@code [L, L]} 64 deep) that
 * is 2^64 calls, a hang. Python refuses to hash those types at all, so a pickle using one as a key
 * cannot come from Python: it is refused, as Python would, before anything is hashed.
 */
final class DictKeys {
    private DictKeys() {}

    /** A frozenset: hashable in Python. Hashed here by identity, like {@link PickledObject}, never by content. */
    static final class FrozenSet extends LinkedHashSet<Object> {
        private static final long serialVersionUID = 1L;

        FrozenSet(Collection<?> elements) {
            super(checked(elements, "a frozenset element"));
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        /** Never its elements: frozensets sharing frozensets at every level would print for ever. */
        @Override
        public String toString() {
            return "<frozenset of " + size() + ">";
        }
    }

    /** {@code key}, if Python could hash it; else refused, naming its type and {@code use} ("a dict key"). */
    static Object checked(Object key, String use) {
        String type = unhashableType(key);
        if (type != null) {
            throw new PickleRefusedException("unhashable type '" + type + "' used as " + use + ": refused");
        }
        return key;
    }

    /** Every one of {@code elements}, checked as {@link #checked(Object, String)} does. */
    static <C extends Collection<?>> C checked(C elements, String use) {
        for (Object element : elements) {
            checked(element, use);
        }
        return elements;
    }

    /** Python's name of the type when Python cannot hash it (and Java would hash it by content), else null. */
    private static String unhashableType(Object value) {
        if (value instanceof PickledObject || value instanceof FrozenSet) {
            return null; // hashed by identity
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Set) {
            return "set";
        }
        if (value instanceof Map) {
            return "dict";
        }
        return null;
    }
}
