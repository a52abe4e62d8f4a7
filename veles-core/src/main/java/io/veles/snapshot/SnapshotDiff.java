package io.veles.snapshot;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.pickle.RestoreRules;
import io.veles.pickle.SavedGraph;
import io.veles.pickle.SavedObject;
import io.veles.snapshot.file.SnapshotReader;
import io.veles.workflow.Workflow;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares two snapshots unit by unit and field by field, as VELES's compare script did: numeric
 * arrays by their average relative difference, average difference and maximum difference; other
 * values by equality. Units are matched by name. The states are compared as saved (values a
 * custom {@code getState} saved included), read without running any of the workflows' code.
 */
public final class SnapshotDiff {
    /** How deep field paths go ({@code a.b.c.d}); deeper differences show as the whole value. */
    private static final int MAX_FIELD_DEPTH = 4;

    private SnapshotDiff() {}

    /**
     * One difference. For numeric arrays of equal length the statistics are set; otherwise they
     * are NaN and {@code detail} says what differs.
     */
    public record Difference(
            String unit, String field, String detail, double averageRelative, double average, double maximum) {}

    /**
     * The differences between snapshots {@code a} and {@code b}; empty when equal. Snapshots of
     * different workflows are refused unless {@code force}. Their classes load from this class's
     * loader.
     */
    public static List<Difference> compare(String a, String b, boolean force) {
        return compare(a, b, force, SnapshotDiff.class.getClassLoader());
    }

    /**
     * As {@link #compare(String, String, boolean)}, with the workflows' classes loaded through
     * {@code classLoader}. The states are read as data: no code of the workflows runs (see
     * {@link SavedGraph}).
     */
    public static List<Difference> compare(String a, String b, boolean force, ClassLoader classLoader) {
        SavedGraph left = read(a, null, classLoader);
        SavedGraph right = read(b, force ? null : left.root().className(), classLoader);
        Map<String, SavedObject> leftUnits = unitsByName(left);
        Map<String, SavedObject> rightUnits = unitsByName(right);
        List<Difference> differences = new ArrayList<>();
        for (Map.Entry<String, SavedObject> entry : leftUnits.entrySet()) {
            SavedObject other = rightUnits.get(entry.getKey());
            if (other == null) {
                differences.add(new Difference(entry.getKey(), "", "only in " + a, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            compareUnits(entry.getKey(), entry.getValue(), other, differences);
        }
        for (String name : rightUnits.keySet()) {
            if (!leftUnits.containsKey(name)) {
                differences.add(new Difference(name, "", "only in " + b, Double.NaN, Double.NaN, Double.NaN));
            }
        }
        return differences;
    }

    private static SavedGraph read(String source, String expectedClass, ClassLoader classLoader) {
        try (SnapshotReader reader = Snapshots.open(source)) {
            String className = reader.manifest().workflowClass;
            if (expectedClass != null && !expectedClass.equals(className)) {
                throw new SnapshotException("the snapshots are of different workflows (" + expectedClass + ", "
                        + className + "); --force compares them anyway");
            }
            Class<? extends Workflow> type = workflowClass(className, source, classLoader);
            return reader.readSaved(RestoreRules.forWorkflow(type));
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static Class<? extends Workflow> workflowClass(String name, String source, ClassLoader classLoader) {
        try {
            // Not initialised: nothing of the workflow's code runs to compare its states.
            Class<?> type = Class.forName(name, false, classLoader);
            if (!Workflow.class.isAssignableFrom(type)) {
                throw new SnapshotException(source + " names " + name + ", which is not a workflow");
            }
            return type.asSubclass(Workflow.class);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SnapshotException(source + " is a snapshot of " + name + ", which is not on the class path"
                    + " (give its jar or classes directory with --class-path)");
        }
    }

    /**
     * The units of {@code graph}, in order, by the names {@code diff} and the report show them
     * under: a unit's own name, or for a name met before (another unit's, or the workflow's, which
     * is a unit too) {@code name#2}, {@code name#3}...
     */
    public static Map<String, SavedObject> unitsByName(SavedGraph graph) {
        Map<String, SavedObject> units = new LinkedHashMap<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (SavedObject unit : graph.units()) {
            String name = String.valueOf(unit.name());
            int count = seen.merge(name, 1, Integer::sum);
            String key = count == 1 ? name : name + "#" + count;
            while (units.containsKey(key)) { // a unit really named "x#2"
                key = key + "'";
            }
            units.put(key, unit);
        }
        return units;
    }

    private static void compareUnits(String name, SavedObject a, SavedObject b, List<Difference> out) {
        if (a.type() != b.type()) {
            out.add(new Difference(
                    name, "", "class " + a.className() + " vs " + b.className(), Double.NaN, Double.NaN, Double.NaN));
            return;
        }
        compareFields(name, "", a, b, out, 0);
    }

    /** Field by field; a field holding one of our objects is compared by its own fields, as {@code field.sub}. */
    private static void compareFields(
            String unit, String prefix, SavedObject a, SavedObject b, List<Difference> out, int depth) {
        Map<String, Object> right = b.fields();
        for (Map.Entry<String, Object> field : a.fields().entrySet()) {
            String path = prefix + field.getKey();
            Object x = field.getValue();
            if (!right.containsKey(field.getKey())) { // removed since, or a getState that no longer saves it
                out.add(new Difference(unit, path, shown(x) + " -> " + ABSENT, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            Object y = right.get(field.getKey());
            if (isUnit(x) || isUnit(y)) {
                String xs = shown(x); // bounded: the other side may be a snapshot's string of megabytes
                String ys = shown(y);
                if (!xs.equals(ys)) {
                    out.add(new Difference(unit, path, xs + " -> " + ys, Double.NaN, Double.NaN, Double.NaN));
                }
            } else if (isNumericArray(x) && isNumericArray(y) && Array.getLength(x) == Array.getLength(y)) {
                Difference d = arrays(unit, path, x, y);
                if (d != null) {
                    out.add(d);
                }
            } else if (depth < MAX_FIELD_DEPTH
                    && x instanceof SavedObject
                    && y instanceof SavedObject
                    && ((SavedObject) x).type() == ((SavedObject) y).type()) {
                compareFields(unit, path + ".", (SavedObject) x, (SavedObject) y, out, depth + 1);
            } else if (!same(x, y, 0, new java.util.HashSet<>())) {
                out.add(new Difference(
                        unit, path, describe(x) + " -> " + describe(y), Double.NaN, Double.NaN, Double.NaN));
            }
        }
        for (Map.Entry<String, Object> field : right.entrySet()) {
            if (!a.fields().containsKey(field.getKey())) { // added since: the second snapshot's alone
                out.add(new Difference(
                        unit,
                        prefix + field.getKey(),
                        ABSENT + " -> " + shown(field.getValue()),
                        Double.NaN,
                        Double.NaN,
                        Double.NaN));
            }
        }
    }

    /** How a field that one snapshot lacks is shown, unlike a null it holds. */
    private static final String ABSENT = "(absent)";

    /** A unit by its name, anything else as {@link #describe} shows it. */
    private static String shown(Object value) {
        return isUnit(value) ? ((SavedObject) value).name() : describe(value);
    }

    private static boolean isUnit(Object value) {
        return value instanceof SavedObject && ((SavedObject) value).isUnit();
    }

    /** Two objects compared by {@link #same}, by identity. */
    private record Pair(Object x, Object y) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Pair && ((Pair) other).x == x && ((Pair) other).y == y;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(x) + System.identityHashCode(y);
        }
    }

    /**
     * Equality by value: units by name, saved objects by their saved values, JDK values by equals.
     * Each pair of containers is compared once ({@code compared}): a snapshot's graph may share a
     * list four times at each of 30 levels, a few hundred bytes, and walking its paths would take
     * 4^30 steps. A pair met again is either being compared or found equal (an unequal one ends the
     * comparison), so it counts as equal.
     */
    private static boolean same(Object x, Object y, int depth, java.util.Set<Pair> compared) {
        if (x == y) {
            return true;
        }
        if (x == null || y == null || x.getClass() != y.getClass()) {
            return false;
        }
        if (depth > 32) {
            return true; // deep enough: a difference further down is beyond what a report can show
        }
        boolean container = x instanceof SavedObject
                || x.getClass().isArray()
                || x instanceof java.util.Collection
                || x instanceof Map;
        if (container && !compared.add(new Pair(x, y))) {
            return true;
        }
        if (x instanceof SavedObject) {
            SavedObject a = (SavedObject) x;
            SavedObject b = (SavedObject) y;
            if (a.type() != b.type() || a.isUnit() != b.isUnit()) {
                return false;
            }
            if (a.isUnit()) {
                return Objects.equals(a.name(), b.name());
            }
            Map<String, Object> other = b.fields();
            for (Map.Entry<String, Object> field : a.fields().entrySet()) {
                if (!same(field.getValue(), other.get(field.getKey()), depth + 1, compared)) {
                    return false;
                }
            }
            return a.fields().size() == other.size();
        }
        if (x.getClass().isArray()) {
            if (x.getClass().getComponentType().isPrimitive()) {
                return Objects.deepEquals(x, y);
            }
            int n = Array.getLength(x);
            if (n != Array.getLength(y)) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (!same(Array.get(x, i), Array.get(y, i), depth + 1, compared)) {
                    return false;
                }
            }
            return true;
        }
        if (x instanceof java.util.Collection) {
            // Lists, deques (the scheduler's queues), sets: element by element, in order.
            java.util.Collection<?> a = (java.util.Collection<?>) x;
            java.util.Collection<?> b = (java.util.Collection<?>) y;
            if (a.size() != b.size()) {
                return false;
            }
            java.util.Iterator<?> other = b.iterator();
            for (Object element : a) {
                if (!same(element, other.next(), depth + 1, compared)) {
                    return false;
                }
            }
            return true;
        }
        if (x instanceof Map) {
            Map<?, ?> a = (Map<?, ?>) x;
            Map<?, ?> b = (Map<?, ?>) y;
            if (a.size() != b.size()) {
                return false;
            }
            if (a.keySet().equals(b.keySet())) {
                for (Map.Entry<?, ?> entry : a.entrySet()) {
                    if (!same(entry.getValue(), b.get(entry.getKey()), depth + 1, compared)) {
                        return false;
                    }
                }
                return true;
            }
            // Keys that are objects of each snapshot (units): compare entry by entry, in order.
            java.util.Iterator<? extends Map.Entry<?, ?>> other = b.entrySet().iterator();
            for (Map.Entry<?, ?> entry : a.entrySet()) {
                Map.Entry<?, ?> next = other.next();
                if (!same(entry.getKey(), next.getKey(), depth + 1, compared)
                        || !same(entry.getValue(), next.getValue(), depth + 1, compared)) {
                    return false;
                }
            }
            return true;
        }
        if (x instanceof Optional<?>) { // equals would compare its value as the JDK does, without the memo
            return same(((Optional<?>) x).orElse(null), ((Optional<?>) y).orElse(null), depth + 1, compared);
        }
        if (x instanceof Map.Entry<?, ?>) {
            Map.Entry<?, ?> a = (Map.Entry<?, ?>) x;
            Map.Entry<?, ?> b = (Map.Entry<?, ?>) y;
            return same(a.getKey(), b.getKey(), depth + 1, compared)
                    && same(a.getValue(), b.getValue(), depth + 1, compared);
        }
        return x.equals(y); // JDK values and saved enum constants
    }

    /**
     * The statistics {@code diff} reports for two numeric arrays of equal length (the report's
     * per-snapshot change of a field): zeros when they are equal.
     */
    public static Difference compareArrays(String unit, String field, Object x, Object y) {
        if (!isNumericArray(x) || !isNumericArray(y) || Array.getLength(x) != Array.getLength(y)) {
            throw new IllegalArgumentException("compareArrays takes two numeric arrays of one length");
        }
        Difference d = arrays(unit, field, x, y);
        return d != null ? d : new Difference(unit, field, "equal", 0, 0, 0);
    }

    /** True for a primitive array of numbers (booleans are not). */
    public static boolean isNumericArray(Object value) {
        return value != null
                && value.getClass().isArray()
                && value.getClass().getComponentType().isPrimitive()
                && value.getClass().getComponentType() != boolean.class;
    }

    /**
     * VELES's statistics over the elements: null when the arrays are equal. Equal means the same
     * bits for floating-point arrays (a NaN equals itself, and a copy must be bit for bit) and the
     * same value for integers, compared exactly (a long above 2^53 has no exact double). A changed
     * element involving NaN or an infinity is counted but left out of the averages and the
     * maximum, which would otherwise all read NaN or infinity.
     */
    private static Difference arrays(String unit, String field, Object x, Object y) {
        int n = Array.getLength(x);
        double sumRelative = 0;
        double sum = 0;
        double max = 0;
        int differing = 0;
        int notFinite = 0;
        java.util.function.IntPredicate unchanged = unchanged(x, y);
        java.util.function.IntToDoubleFunction distance = distance(x, y);
        java.util.function.IntToDoubleFunction xs = elements(x);
        java.util.function.IntToDoubleFunction ys = elements(y);
        for (int i = 0; i < n; i++) {
            if (unchanged.test(i)) {
                continue;
            }
            differing++;
            double a = xs.applyAsDouble(i);
            double b = ys.applyAsDouble(i);
            if (!Double.isFinite(a) || !Double.isFinite(b)) {
                notFinite++;
                continue;
            }
            // finite elements can still be further apart than a double holds (MAX_VALUE and -MAX_VALUE)
            double d = Math.min(distance.applyAsDouble(i), Double.MAX_VALUE);
            sum += d / n; // averaged as summed: a sum of large differences would overflow
            double scale = Math.max(Math.abs(a), Math.abs(b));
            sumRelative += scale == 0 ? 0 : d / scale / n;
            max = Math.max(max, d);
        }
        if (differing == 0) {
            return null;
        }
        String detail = differing + " of " + n + " elements differ"
                + (notFinite == 0 ? "" : " (" + notFinite + " to or from NaN or infinity, not in the statistics)");
        return new Difference(unit, field, detail, sumRelative, sum, max);
    }

    /** Whether element i is the same in both arrays: the same bits, or for integers the same value. */
    private static java.util.function.IntPredicate unchanged(Object x, Object y) {
        if (x instanceof float[] a && y instanceof float[] b) {
            return i -> Float.floatToRawIntBits(a[i]) == Float.floatToRawIntBits(b[i]);
        } else if (x instanceof double[] a && y instanceof double[] b) {
            return i -> Double.doubleToRawLongBits(a[i]) == Double.doubleToRawLongBits(b[i]);
        } else if (x instanceof long[] a && y instanceof long[] b) {
            return i -> a[i] == b[i];
        }
        // ints and narrower, or two element types (a field's type changed): exact as doubles
        java.util.function.IntToDoubleFunction xs = elements(x);
        java.util.function.IntToDoubleFunction ys = elements(y);
        return i -> {
            double a = xs.applyAsDouble(i);
            double b = ys.applyAsDouble(i);
            return a == b || (Double.isNaN(a) && Double.isNaN(b));
        };
    }

    /** |x[i] - y[i]|, exact for longs (whose doubles round above 2^53); NaN or infinite where they are. */
    private static java.util.function.IntToDoubleFunction distance(Object x, Object y) {
        if (x instanceof long[] a && y instanceof long[] b) {
            return i -> {
                long difference = a[i] - b[i];
                boolean overflowed = ((a[i] ^ b[i]) & (a[i] ^ difference)) < 0;
                return overflowed ? Math.abs((double) a[i] - (double) b[i]) : Math.abs((double) difference);
            };
        }
        java.util.function.IntToDoubleFunction xs = elements(x);
        java.util.function.IntToDoubleFunction ys = elements(y);
        return i -> Math.abs(xs.applyAsDouble(i) - ys.applyAsDouble(i));
    }

    /** A numeric array's elements as doubles, read without boxing each (arrays of 100 MiB are common). */
    private static java.util.function.IntToDoubleFunction elements(Object array) {
        if (array instanceof float[] f) {
            return i -> f[i];
        } else if (array instanceof double[] d) {
            return i -> d[i];
        } else if (array instanceof int[] n) {
            return i -> n[i];
        } else if (array instanceof long[] l) {
            return i -> l[i];
        } else if (array instanceof short[] h) {
            return i -> h[i];
        } else if (array instanceof byte[] b) {
            return i -> b[i];
        } else if (array instanceof char[] c) {
            return i -> c[i];
        }
        throw new IllegalArgumentException(
                "not a numeric array: " + array.getClass().getName());
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            return value.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(value) + "]";
        }
        StringBuilder text = new StringBuilder();
        appendUpTo(text, value, 81);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text.toString();
    }

    /**
     * Appends {@code value} as its {@code toString} would read, stopping once {@code text} holds
     * {@code limit} characters: a collection's own toString walks every path of a shared graph
     * (4^32 of them in a few hundred bytes) and every element of a large one.
     */
    private static void appendUpTo(StringBuilder text, Object value, int limit) {
        if (text.length() >= limit) {
            return;
        }
        if (value instanceof java.util.Collection || value instanceof Map) {
            java.util.Collection<?> items =
                    value instanceof Map ? ((Map<?, ?>) value).entrySet() : (java.util.Collection<?>) value;
            text.append(value instanceof Map ? '{' : '[');
            String separator = "";
            for (Object item : items) {
                if (text.length() >= limit) {
                    return;
                }
                text.append(separator);
                separator = ", ";
                if (item instanceof Map.Entry) {
                    appendUpTo(text, ((Map.Entry<?, ?>) item).getKey(), limit);
                    text.append('=');
                    appendUpTo(text, ((Map.Entry<?, ?>) item).getValue(), limit);
                } else {
                    appendUpTo(text, item, limit);
                }
            }
            text.append(value instanceof Map ? '}' : ']');
        } else if (value != null && value.getClass().isArray()) {
            text.append(describe(value));
        } else if (value instanceof SavedObject && !((SavedObject) value).isUnit()) {
            // as SavedObject.toString shows it, but only as far as the limit: its whole text may
            // be a graph of shared lists, exponential in its depth
            SavedObject saved = (SavedObject) value;
            text.append(saved.type().getSimpleName()).append('{');
            String separator = "";
            for (Map.Entry<String, Object> field : saved.fields().entrySet()) {
                if (text.length() >= limit) {
                    return;
                }
                text.append(separator).append(field.getKey()).append('=');
                separator = ", ";
                appendUpTo(text, field.getValue(), limit);
            }
            text.append('}');
        } else if (value instanceof Optional<?> && ((Optional<?>) value).isPresent()) {
            text.append("Optional[");
            appendUpTo(text, ((Optional<?>) value).get(), limit);
            text.append(']');
        } else {
            String plain = String.valueOf(value);
            text.append(plain, 0, Math.min(plain.length(), limit - text.length()));
        }
    }
}
