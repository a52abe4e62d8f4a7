package io.veles.velesimport;

import io.veles.internal.util.ArrayNames;
import net.razorvine.pickle.objects.ClassDict;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the NumPy arrays of an unpickled VELES workflow and names them by unit and attribute path.
 * A unit is an object of a {@code veles.} class with a string {@code name} (VELES's units, the
 * workflow included); its arrays are those reachable from its attributes without passing through
 * another unit, {@code veles.memory.Array}'s {@code mem}/{@code _mem} hop left out of the path
 * ({@code fc1.weights}). An array linked into several units (VELES links attributes) is named
 * once, by the first unit met. Scalars of units (numbers, strings, booleans) are kept as metadata.
 */
final class ArrayFinder {
    private static final int MAX_DEPTH = 32;
    private final List<ClassDict> units = new ArrayList<>();
    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Boolean> arraysSeen = new IdentityHashMap<>();
    /** Containers walked already: a pickle sharing one list twice at each level ([L, L]) has 2^depth paths. */
    private final IdentityHashMap<Object, Boolean> walked = new IdentityHashMap<>();

    final List<FoundArray> found = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final Map<String, String> scalars = new LinkedHashMap<>();

    ArrayFinder(Object root) {
        collectUnits(root, 0);
        if (units.isEmpty() && root != null) { // not a workflow: name the arrays from the root
            walk("root", String.valueOf(classOf(root)), "", root, 0);
        }
        for (ClassDict unit : units) {
            String name = unitName(unit);
            for (Map.Entry<String, Object> field :
                    new java.util.TreeMap<>(unit).entrySet()) { // HashMap order is no order
                Object value = field.getValue();
                if (!field.getKey().equals("__class__") && isScalar(value)) {
                    scalars.put(name + "." + safe(field.getKey()), String.valueOf(value));
                }
                // depth 1: a unit held in an attribute (a workflow's loader) is another unit, not a part of this one
                walk(name, unit.getClassName(), join("", field.getKey()), value, 1);
            }
        }
    }

    private void collectUnits(Object value, int depth) {
        if (value == null
                || depth > MAX_DEPTH
                || isScalar(value)
                || value instanceof NumpyArray
                || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof ClassDict && isUnit((ClassDict) value)) {
            units.add((ClassDict) value);
        }
        for (Object child : children(value)) {
            collectUnits(child, depth + 1);
        }
    }

    private void walk(String unit, String unitClass, String path, Object value, int depth) {
        if (value == null || depth > MAX_DEPTH || isScalar(value)) {
            return;
        }
        if (value instanceof NumpyArray) {
            if (arraysSeen.put(value, true) == null) {
                NumpyArray array = (NumpyArray) value;
                if (array.unsupported != null || array.dtype == null || array.dtype.exported() == null) {
                    skipped.add(unit + "." + path + ": "
                            + (array.unsupported != null
                                    ? array.unsupported
                                    : "dtype " + array.dtype + " is not exported"));
                } else {
                    found.add(new FoundArray(unit, unitClass, path, array));
                }
            }
            return;
        }
        if (depth > 0 && value instanceof ClassDict && isUnit((ClassDict) value)) {
            return; // another unit: its arrays are its own
        }
        if (walked.put(value, Boolean.TRUE) != null) {
            return; // its arrays were found, and named, where it was first met
        }
        if (value instanceof ClassDict) {
            ClassDict dict = (ClassDict) value;
            boolean velesArray = "veles.memory.Array".equals(dict.getClassName());
            for (Map.Entry<String, Object> field : dict.entrySet()) {
                String key = field.getKey();
                if (key.equals("__class__")) {
                    continue;
                }
                boolean memory = velesArray && (key.equals("mem") || key.equals("_mem"));
                walk(unit, unitClass, memory ? path : join(path, key), field.getValue(), depth + 1);
            }
        } else if (value instanceof Map) {
            int i = 0;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                Object key = entry.getKey(); // a dict keyed by units or tuples is named by position
                walk(
                        unit,
                        unitClass,
                        join(path, isScalar(key) ? String.valueOf(key) : String.valueOf(i)),
                        entry.getValue(),
                        depth + 1);
                i++;
            }
        } else {
            int i = 0;
            for (Object child : children(value)) {
                walk(unit, unitClass, join(path, String.valueOf(i++)), child, depth + 1);
            }
        }
    }

    private static List<Object> children(Object value) {
        List<Object> children = new ArrayList<>();
        if (value instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                children.add(entry.getKey());
                children.add(entry.getValue());
            }
        } else if (value instanceof Collection) {
            children.addAll((Collection<?>) value);
        } else if (value instanceof Object[]) {
            children.addAll(java.util.Arrays.asList((Object[]) value));
        }
        return children;
    }

    private static boolean isUnit(ClassDict dict) {
        String type = dict.getClassName();
        return type != null
                && type.startsWith("veles.")
                && !type.equals("veles.memory.Array")
                && (dict.get("name") instanceof String || dict.get("_name") instanceof String);
    }

    private static String unitName(ClassDict unit) {
        Object name = unit.get("name") instanceof String ? unit.get("name") : unit.get("_name");
        return safe(String.valueOf(name));
    }

    /**
     * Names become npy file names and zip entries: made safe and bounded as export makes them
     * ({@link ArrayNames}), so that no key of a pickle writes outside, and a name of megabytes
     * (shared by every unit) is not copied whole for each.
     */
    private static String safe(String name) {
        return ArrayNames.safe(ArrayNames.bounded(name));
    }

    private static Object classOf(Object value) {
        return value instanceof ClassDict
                ? ((ClassDict) value).getClassName()
                : value.getClass().getSimpleName();
    }

    private static boolean isScalar(Object value) {
        return value instanceof Number || value instanceof String || value instanceof Boolean;
    }

    /** The path one attribute or key further; the key made safe, as it comes from the pickle. */
    private static String join(String path, String key) {
        return path.isEmpty() ? safe(key) : path + "." + safe(key);
    }
}
