package io.veles.snapshot.export;

import io.veles.errors.SnapshotException;
import io.veles.internal.util.ArrayNames;
import io.veles.internal.util.Secrets;
import io.veles.pickle.SavedEnum;
import io.veles.pickle.SavedGraph;
import io.veles.pickle.SavedObject;
import io.veles.pickle.SpilledArray;
import io.veles.workflow.ArrayShape;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The numeric arrays and scalars of a state read as data ({@link SavedGraph} with spilled
 * arrays), named {@code unit.field}, {@code unit.field.sub} for the fields of an object a unit
 * holds, and {@code unit.field.3} for the arrays of a list or array. Shapes come from
 * {@link ArrayShape} on the field; other arrays are flat. The arrays of a map are named by their
 * keys ({@code unit.field.key}), or by their position when the keys are objects. An array stored
 * as the transpose of its shape is exported with that shape's values: its stored bytes serve as
 * the column-major array, and the row-major one is transposed from the spill as it is written.
 * References to other units are skipped.
 */
final class StateArrays {
    private static final int MAX_DEPTH = 4;
    private final Spill spill;
    final List<ExportedArray> arrays = new ArrayList<>();
    final Map<String, String> scalars = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();

    StateArrays(SavedGraph graph, Spill spill) {
        this.spill = spill;
        for (SavedObject unit : graph.units()) {
            walk(unique(safe(String.valueOf(unit.name()))) + ".", unit, 0);
        }
    }

    /**
     * How far the bytes written may exceed what the state holds. Each path to an array (or a
     * string) is written under its own name, so one 4 MiB array held by 20,000 entries of a map,
     * a 51 KB snapshot, would write 80 GiB. Writing may take the distinct bytes twice (a second
     * name for every array: tied weights) and this much more; {@code import-veles} allows the same.
     */
    static final long SHARED_SLACK = 64L << 20;

    /** The bytes the arrays and scalars found will write, and the distinct bytes they are made of. */
    private long written;

    private long held;
    private final java.util.IdentityHashMap<Object, Boolean> counted = new java.util.IdentityHashMap<>();

    /** Counts {@code bytes} of {@code value} as written, and as held the first time it is met. */
    private void count(Object value, long bytes) {
        written += bytes;
        if (counted.put(value, Boolean.TRUE) == null) {
            held += bytes;
        }
        if (written > 2 * held + SHARED_SLACK) { // checked as found: the names alone could fill the heap
            throw new SnapshotException("cannot export: the state's arrays and text are shared by so many fields that"
                    + " writing each under its own name would take more than " + written + " bytes, from "
                    + held + " distinct bytes in the snapshot: refused");
        }
    }

    private void walk(String prefix, SavedObject object, int depth) {
        for (Map.Entry<String, Object> field : object.fields().entrySet()) {
            String name = prefix + safe(fieldName(field.getKey()));
            value(name, field.getValue(), object, field.getKey(), depth);
        }
    }

    /**
     * The most values the walk visits. Each path to a value is exported under its own name, and
     * objects shared many times over (four lists of a hundred references each to the next, a
     * kilobyte of payload) reach a hundred million paths: refused rather than filling the heap.
     */
    static final long MAX_VISITS = 2_000_000;

    private long visits;

    private void value(String name, Object value, SavedObject owner, String key, int depth) {
        if (++visits > MAX_VISITS) {
            throw new SnapshotException("cannot export: the state reaches more than " + MAX_VISITS
                    + " values through its fields (objects shared many times over, each path exported by its own"
                    + " name)");
        }
        if (value instanceof SpilledArray) {
            SpilledArray spilled = (SpilledArray) value;
            Dtype dtype = Dtype.ofJava(spilled.elementType());
            Shape shape = shape(owner, key, spilled.length());
            count(spilled, spilled.byteLength());
            ExportedArray.Bytes stored = out -> spill.copy(spilled, out);
            arrays.add(
                    shape.transposed
                            ? new ExportedArray(
                                    unique(name),
                                    dtype,
                                    shape.dimensions,
                                    spilled.byteLength(),
                                    out -> new TransposedBytes(
                                                    spill.mapped(spilled),
                                                    shape.dimensions[1],
                                                    shape.dimensions[0],
                                                    dtype.width())
                                            .writeTo(out),
                                    stored)
                            : new ExportedArray(unique(name), dtype, shape.dimensions, spilled.byteLength(), stored));
        } else if (value != null
                && value.getClass().isArray()
                && Dtype.ofJava(value.getClass().getComponentType()) != null) {
            Shape shape = shape(owner, key, Array.getLength(value));
            count(
                    value,
                    (long) Array.getLength(value)
                            * Dtype.ofJava(value.getClass().getComponentType()).width());
            arrays.add(
                    shape.transposed
                            ? MemoryArrays.ofJavaTransposed(unique(name), value, shape.dimensions)
                            : MemoryArrays.ofJava(unique(name), value, shape.dimensions));
        } else if (value instanceof SavedObject) {
            if (!((SavedObject) value).isUnit() && depth < MAX_DEPTH) {
                walk(name + ".", (SavedObject) value, depth + 1);
            }
        } else if (value instanceof Object[] || value instanceof Collection) {
            Object[] elements = value instanceof Object[] ? (Object[]) value : ((Collection<?>) value).toArray();
            for (int i = 0; i < elements.length && depth < MAX_DEPTH; i++) {
                if (holdsArrays(elements[i])) {
                    value(name + "." + i, elements[i], null, null, depth + 1);
                }
            }
        } else if (value instanceof Map<?, ?> map && depth < MAX_DEPTH) {
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (holdsArrays(entry.getValue())) {
                    value(name + "." + keyName(entry.getKey(), i), entry.getValue(), null, null, depth + 1);
                }
                i++;
            }
        } else if (isScalar(value)) {
            // older snapshots captured passwords in strings: redacted, as diff and inspect show them
            String text = Secrets.redact(String.valueOf(value));
            count(value, 2L * text.length()); // a string held once may be named by many fields
            scalars.put(name, text);
        }
    }

    /** A number, string, character, boolean or enum constant: exported as metadata, and names a map's entry. */
    private static boolean isScalar(Object value) {
        return value instanceof Number
                || value instanceof Boolean
                || value instanceof CharSequence
                || value instanceof Character
                || value instanceof SavedEnum;
    }

    /** A map entry's name: its key when the key is a scalar, else its position. */
    private static String keyName(Object key, int position) {
        return isScalar(key) ? safe(String.valueOf(key)) : String.valueOf(position);
    }

    private static boolean holdsArrays(Object value) {
        return value instanceof SpilledArray
                || value instanceof Object[]
                || value instanceof Collection
                || value instanceof Map
                || (value instanceof SavedObject && !((SavedObject) value).isUnit())
                || (value != null
                        && value.getClass().isArray()
                        && Dtype.ofJava(value.getClass().getComponentType()) != null);
    }

    /** An exported shape, and whether the array is stored as its transpose ({@link ArrayShape#storedTransposed}). */
    private record Shape(long[] dimensions, boolean transposed) {}

    /** The declared shape when it multiplies out to {@code length} (and has two dimensions if transposed); else flat. */
    private static Shape shape(SavedObject owner, String key, long length) {
        Shape flat = new Shape(new long[] {length}, false);
        ArrayShape declared = owner == null ? null : annotation(owner.type(), key);
        if (declared == null || (declared.storedTransposed() && declared.value().length != 2)) {
            return flat;
        }
        long[] shape = new long[declared.value().length];
        long product = 1;
        for (int i = 0; i < shape.length; i++) {
            Long dimension = dimension(owner, declared.value()[i]);
            if (dimension == null || dimension < 0) {
                return flat;
            }
            shape[i] = dimension;
            product *= dimension;
        }
        return product == length ? new Shape(shape, declared.storedTransposed()) : flat;
    }

    /** A number, or a field of {@code owner}; {@code layer.inputs} follows a field holding an object or unit. */
    private static Long dimension(SavedObject owner, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException notANumber) {
            Object value = owner;
            for (String part : text.trim().split("\\.")) {
                if (!(value instanceof SavedObject)) {
                    return null;
                }
                value = field((SavedObject) value, part);
            }
            return value instanceof Integer || value instanceof Long || value instanceof Short
                    ? ((Number) value).longValue()
                    : null;
        }
    }

    private static Object field(SavedObject object, String name) {
        Object value = object.fields().get(name);
        if (value == null) {
            for (Map.Entry<String, Object> field : object.fields().entrySet()) {
                if (fieldName(field.getKey()).equals(name)) {
                    value = field.getValue();
                }
            }
        }
        return value;
    }

    /** The annotation on the field saved as {@code key} ({@code name}, or {@code pkg.Class#name} when shadowed). */
    private static ArrayShape annotation(Class<?> type, String key) {
        int hash = key.indexOf('#');
        String owner = hash < 0 ? null : key.substring(0, hash);
        String name = hash < 0 ? key : key.substring(hash + 1);
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (owner != null && !c.getName().equals(owner)) {
                continue;
            }
            try {
                Field field = c.getDeclaredField(name); // reads the class file's metadata; runs nothing
                return field.getAnnotation(ArrayShape.class);
            } catch (NoSuchFieldException | LinkageError e) {
                // a superclass's, or a field no longer in the class: flat
            }
        }
        return null;
    }

    private static String fieldName(String key) {
        int hash = key.indexOf('#');
        return hash < 0 ? key : key.substring(key.lastIndexOf('.', hash) + 1); // Class#field when shadowed
    }

    /**
     * Names become file names (npy) and zip entries: see {@link ArrayNames#safe}. Each part is
     * bounded before it is joined: a key of megabytes shared by many maps was copied whole for
     * each path through it.
     */
    private static String safe(String name) {
        return ArrayNames.safe(ArrayNames.bounded(name));
    }

    /** {@code name}, bounded in length ({@link ArrayNames#bounded}), or with the first "#n" that no other name has. */
    private String unique(String name) {
        String bounded = ArrayNames.bounded(name);
        String candidate = bounded;
        for (int i = 2; !names.add(candidate); i++) {
            candidate = bounded + "#" + i;
        }
        return candidate;
    }
}
