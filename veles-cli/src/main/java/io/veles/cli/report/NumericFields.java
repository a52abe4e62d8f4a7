package io.veles.cli.report;

import io.veles.pickle.SavedGraph;
import io.veles.pickle.SavedObject;
import io.veles.snapshot.SnapshotDiff;

import java.lang.reflect.Array;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numeric array fields of a saved state, by {@code unit.field} (a field of a nested object as
 * {@code unit.field.sub}, as {@code diff} names them): what the report draws histograms and changes of.
 */
final class NumericFields {
    /** As deep as {@code diff} opens nested objects. */
    private static final int MAX_DEPTH = 4;
    /** A one-element array is a scalar in disguise: nothing to draw a histogram of. */
    private static final int MIN_LENGTH = 2;

    private NumericFields() {}

    /**
     * Every numeric array of every unit, in the units' order. A unit named as one before it (the
     * workflow is a unit too) is {@code name#2}, as {@code diff} shows it.
     */
    static Map<String, Object> of(SavedGraph graph) {
        Map<String, Object> arrays = new LinkedHashMap<>();
        SnapshotDiff.unitsByName(graph).forEach((name, unit) -> collect(name + ".", unit, arrays, 0));
        return arrays;
    }

    private static void collect(String prefix, SavedObject object, Map<String, Object> out, int depth) {
        for (Map.Entry<String, Object> field : object.fields().entrySet()) {
            Object value = field.getValue();
            if (SnapshotDiff.isNumericArray(value) && Array.getLength(value) >= MIN_LENGTH) {
                out.put(prefix + field.getKey(), value);
            } else if (value instanceof SavedObject nested && !nested.isUnit() && depth < MAX_DEPTH) {
                collect(prefix + field.getKey() + ".", nested, out, depth + 1);
            }
        }
    }

    /** Element {@code i} of a numeric array, as a double, without boxing. */
    static double at(Object array, int i) {
        if (array instanceof float[] f) {
            return f[i];
        } else if (array instanceof double[] d) {
            return d[i];
        } else if (array instanceof int[] n) {
            return n[i];
        } else if (array instanceof long[] l) {
            return l[i];
        } else if (array instanceof short[] s) {
            return s[i];
        } else if (array instanceof byte[] b) {
            return b[i];
        } else if (array instanceof char[] c) {
            return c[i];
        }
        throw new IllegalArgumentException(
                "not a numeric array: " + array.getClass().getName());
    }
}
