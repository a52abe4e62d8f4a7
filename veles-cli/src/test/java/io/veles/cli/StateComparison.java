package io.veles.cli;

import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares two restored workflows unit by unit and field by field, by the snapshot's own rules
 * (every field but transient ones and those ending in _), bit for bit for numbers. Units met
 * inside fields are compared by name (each unit is compared on its own). Returns the differences.
 */
final class StateComparison {
    private final Set<String> ignored;
    private final List<String> differences = new ArrayList<>();
    private final IdentityHashMap<Object, Object> visited = new IdentityHashMap<>();

    private StateComparison(Set<String> ignored) {
        this.ignored = ignored;
    }

    /** Differences between {@code a} and {@code b}; fields named "Class.field" in {@code ignored} are skipped. */
    static List<String> differences(Workflow a, Workflow b, Set<String> ignored) {
        StateComparison comparison = new StateComparison(ignored);
        List<Unit> unitsA = a.allUnits();
        List<Unit> unitsB = b.allUnits();
        if (unitsA.size() != unitsB.size()) {
            comparison.differences.add("unit count " + unitsA.size() + " != " + unitsB.size());
            return comparison.differences;
        }
        comparison.fields(a, b, a.name());
        for (int i = 0; i < unitsA.size(); i++) {
            comparison.fields(unitsA.get(i), unitsB.get(i), unitsA.get(i).name());
        }
        return comparison.differences;
    }

    private void fields(Object a, Object b, String path) {
        for (Class<?> type = a.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers)
                        || Modifier.isTransient(modifiers)
                        || field.getName().endsWith("_")
                        || ignored.contains(type.getSimpleName() + "." + field.getName())) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    value(field.get(a), field.get(b), path + "." + field.getName());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private void value(Object a, Object b, String path) {
        if (a == null || b == null) {
            if (a != b) {
                differences.add(path + ": " + a + " != " + b);
            }
            return;
        }
        if (a.getClass() != b.getClass()) {
            differences.add(
                    path + ": " + a.getClass().getName() + " != " + b.getClass().getName());
            return;
        }
        if (a instanceof Unit) {
            if (!((Unit) a).name().equals(((Unit) b).name())) {
                differences.add(path + ": unit " + ((Unit) a).name() + " != " + ((Unit) b).name());
            }
            return;
        }
        if (a instanceof Float) {
            if (Float.floatToRawIntBits((Float) a) != Float.floatToRawIntBits((Float) b)) {
                differences.add(path + ": " + a + " != " + b);
            }
            return;
        }
        if (a instanceof Double) {
            if (Double.doubleToRawLongBits((Double) a) != Double.doubleToRawLongBits((Double) b)) {
                differences.add(path + ": " + a + " != " + b);
            }
            return;
        }
        if (a instanceof Number
                || a instanceof String
                || a instanceof Boolean
                || a instanceof Character
                || a instanceof Enum) {
            if (!a.equals(b)) {
                differences.add(path + ": " + a + " != " + b);
            }
            return;
        }
        if (visited.put(a, b) != null) {
            return;
        }
        if (a.getClass().isArray()) {
            int length = Array.getLength(a);
            if (length != Array.getLength(b)) {
                differences.add(path + ": length " + length + " != " + Array.getLength(b));
                return;
            }
            for (int i = 0; i < length; i++) {
                value(Array.get(a, i), Array.get(b, i), path + "[" + i + "]");
            }
        } else if (a instanceof Map) {
            value(new ArrayList<>(((Map<?, ?>) a).entrySet()), new ArrayList<>(((Map<?, ?>) b).entrySet()), path);
        } else if (a instanceof Map.Entry) {
            value(((Map.Entry<?, ?>) a).getKey(), ((Map.Entry<?, ?>) b).getKey(), path + ".key");
            value(((Map.Entry<?, ?>) a).getValue(), ((Map.Entry<?, ?>) b).getValue(), path + ".value");
        } else if (a instanceof Collection) {
            Collection<?> ca = (Collection<?>) a;
            Collection<?> cb = (Collection<?>) b;
            if (ca.size() != cb.size()) {
                differences.add(path + ": size " + ca.size() + " != " + cb.size());
                return;
            }
            Iterator<?> ib = cb.iterator();
            int i = 0;
            for (Object element : ca) {
                value(element, ib.next(), path + "[" + i++ + "]");
            }
        } else {
            fields(a, b, path);
        }
    }
}
