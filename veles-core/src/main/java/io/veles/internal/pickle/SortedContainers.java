package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeSetSerializer;
import io.veles.errors.IncompatibleSnapshotException;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * TreeMap and TreeSet as Kryo writes and reads them, with one check on a restore: a tree that
 * ends up with fewer keys than were read into it found two of them equal by today's ordering
 * (a {@code compareTo} or comparator changed since the snapshot), and restoring it would drop an
 * entry without a word, so the restore is refused naming the tree and the key class.
 */
final class SortedContainers {
    private SortedContainers() {}

    static void register(Kryo kryo) {
        kryo.addDefaultSerializer(TreeMap.class, new TreeMaps());
        kryo.addDefaultSerializer(TreeSet.class, new TreeSets());
    }

    /** The number of entries each tree being read was written with, from {@code create} to the end of its read. */
    private static final class Lengths {
        private final Map<Object, Integer> byTree = new IdentityHashMap<>();

        <T> T created(T tree, int length) {
            byTree.put(tree, length);
            return tree;
        }

        /** Returns {@code tree}, refused if it holds fewer keys than were read into it; a subclass's own put may drop some. */
        <T> T checked(T tree, Input input) {
            if (tree == null) {
                return null;
            }
            Collection<?> keys = tree instanceof Map ? ((Map<?, ?>) tree).keySet() : (Collection<?>) tree;
            Integer read = byTree.remove(tree);
            int held = keys.size();
            Object someKey = held == 0 ? null : keys.iterator().next();
            if (read != null && held < read && (tree.getClass() == TreeMap.class || tree.getClass() == TreeSet.class)) {
                throw new IncompatibleSnapshotException("the snapshot's "
                        + tree.getClass().getName() + " holds "
                        + read + " keys"
                        + (someKey == null ? "" : " of " + someKey.getClass().getName())
                        + ", of which today's ordering finds some equal, so restoring it would drop "
                        + (read - held == 1 ? "an entry" : (read - held) + " entries")
                        + " (did the key class's compareTo or the tree's comparator change since the snapshot,"
                        + " or are keys read in a cycle before their own fields?)"
                        + (input instanceof SnapshotInput ? ((SnapshotInput) input).where() : ""));
            }
            return tree;
        }
    }

    private static final java.util.regex.Pattern NOT_COMPARABLE =
            java.util.regex.Pattern.compile("class (\\S+) cannot be cast to class java\\.lang\\.Comparable");

    /**
     * A tree ordered by its keys' compareTo, whose key class is no longer Comparable: the JDK's
     * ClassCastException, named as a code change (any other is rethrown).
     */
    private static RuntimeException notComparable(ClassCastException e, Class<?> tree) {
        java.util.regex.Matcher key = NOT_COMPARABLE.matcher(String.valueOf(e.getMessage()));
        if (!key.find() || !thrownByATree(e)) {
            return e;
        }
        return new IncompatibleSnapshotException(
                "cannot restore the snapshot's " + tree.getName() + ": it orders its keys"
                        + " of " + key.group(1)
                        + " by their compareTo, and that class is no longer Comparable in the code"
                        + " (give the tree a comparator, or convert it with a conversion in the restore rules)",
                e);
    }

    /**
     * Whether the JDK collection that cast to Comparable is a tree (a TreeSet holds a TreeMap):
     * not a value's own PriorityQueue read inside this tree's entries. A tree read inside is
     * named by its own serializer, and never reaches this one as a ClassCastException.
     */
    private static boolean thrownByATree(ClassCastException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("java.util.")) {
                return frame.getClassName().equals("java.util.TreeMap");
            }
        }
        return false;
    }

    static final class TreeMaps extends TreeMapSerializer {
        private final Lengths lengths = new Lengths();

        @Override
        protected TreeMap create(Kryo kryo, Input input, Class<? extends TreeMap> type, int size) {
            return lengths.created(super.create(kryo, input, type, size), size);
        }

        @Override
        public TreeMap read(Kryo kryo, Input input, Class<? extends TreeMap> type) {
            try {
                return lengths.checked(super.read(kryo, input, type), input);
            } catch (ClassCastException e) {
                throw notComparable(e, type);
            }
        }
    }

    static final class TreeSets extends TreeSetSerializer {
        private final Lengths lengths = new Lengths();

        @Override
        protected TreeSet create(Kryo kryo, Input input, Class<? extends TreeSet> type, int size) {
            return lengths.created(super.create(kryo, input, type, size), size);
        }

        @Override
        public TreeSet read(Kryo kryo, Input input, Class<? extends TreeSet> type) {
            try {
                return lengths.checked(super.read(kryo, input, type), input);
            } catch (ClassCastException e) {
                throw notComparable(e, type);
            }
        }
    }
}
