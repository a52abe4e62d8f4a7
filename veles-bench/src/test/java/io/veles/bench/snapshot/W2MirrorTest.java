package io.veles.bench.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veles.workflow.Bool;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JDK serialization anchor of W2 must do the work our snapshot does: for each unit, the same
 * objects (by kind), the same captured fields and the same references to other units. A field
 * added to {@link Unit} or to W2's unit and not to the mirror makes this fail.
 */
class W2MirrorTest {

    @Test
    void eachMirroredUnitOwnsTheSameObjectsAsOurs() {
        Workflow ours = new Workloads.W2();
        Workloads.JdkWorkflow mirror = Workloads.jdkW2();
        List<Unit> ourUnits = smallUnits(ours);
        List<Workloads.JdkUnit> mirroredUnits = mirror.units.subList(2, mirror.units.size()); // after the end points
        assertEquals(Workloads.W2_UNITS, ourUnits.size());
        assertEquals(Workloads.W2_UNITS, mirroredUnits.size());
        for (int index : new int[] {0, 1, 5_000, Workloads.W2_UNITS - 1}) {
            Map<String, Integer> expected = census(ourUnits.get(index));
            assertEquals(expected, census(mirroredUnits.get(index)), "unit " + index);
            assertTrue(expected.getOrDefault("object Bool", 0) == 2, "the census sees the gates: " + expected);
        }
    }

    @Test
    void theMirroredWorkflowHoldsTheSameFieldsAsOurs() {
        assertEquals(fieldKinds(Workflow.class), fieldKinds(Workloads.JdkWorkflow.class));
        assertEquals(fieldKinds(Unit.class), fieldKinds(Workloads.JdkUnit.class));
        assertEquals(fieldKinds(Bool.class), fieldKinds(Workloads.JdkBool.class));
    }

    private static List<Unit> smallUnits(Workflow workflow) {
        return workflow.units().stream()
                .filter(unit -> unit instanceof Workloads.Small)
                .toList();
    }

    /**
     * What a unit owns, counted by kind: the objects reachable from it without passing through
     * another unit, its captured fields (per class, by type), and its references to units.
     */
    static Map<String, Integer> census(Object unit) {
        Map<String, Integer> counts = new TreeMap<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> pending = new ArrayDeque<>();
        seen.put(unit, true);
        pending.add(unit);
        while (!pending.isEmpty()) {
            Object object = pending.poll();
            count(counts, "object " + kind(object));
            for (Object value : contents(object, counts)) {
                if (value == null) {
                    count(counts, "null");
                } else if (value != unit && isUnit(value)) {
                    count(counts, "reference to " + kind(value));
                } else if (seen.put(value, true) == null) {
                    pending.add(value);
                } else {
                    count(counts, "shared " + kind(value));
                }
            }
        }
        return counts;
    }

    private static Iterable<?> contents(Object object, Map<String, Integer> counts) {
        if (object instanceof Collection<?> collection) {
            return collection;
        }
        if (object instanceof Map<?, ?> map) {
            List<Object> entries = new java.util.ArrayList<>();
            map.forEach((key, value) -> {
                entries.add(key);
                entries.add(value);
            });
            return entries;
        }
        if (object instanceof Enum<?>
                || object.getClass().isArray()
                || object.getClass().getName().startsWith("java.")) {
            return List.of(); // strings, boxes, enums, arrays of primitives: leaves
        }
        List<Object> values = new java.util.ArrayList<>();
        for (Field field : capturedFields(object.getClass())) {
            if (field.getType().isPrimitive()) {
                count(counts, "field " + field.getType().getName());
                continue;
            }
            try {
                field.setAccessible(true);
                values.add(field.get(object));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return values;
    }

    /** The fields our snapshot captures: instance fields, not transient, not ending in '_'. */
    private static List<Field> capturedFields(Class<?> type) {
        List<Field> fields = new java.util.ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers)
                        && !Modifier.isTransient(modifiers)
                        && !field.getName().endsWith("_")) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    /** A class's own captured fields: name, and primitive type or "object". */
    private static Map<String, Integer> fieldKinds(Class<?> type) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Field field : type.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (!Modifier.isStatic(modifiers)
                    && !Modifier.isTransient(modifiers)
                    && !field.getName().endsWith("_")) {
                count(
                        kinds,
                        field.getName() + ": "
                                + (field.getType().isPrimitive()
                                        ? field.getType().getName()
                                        : "object"));
            }
        }
        return kinds;
    }

    private static boolean isUnit(Object value) {
        return value instanceof Unit || value instanceof Workloads.JdkUnit;
    }

    /** The class's simple name, the mirror's prefix dropped, and every enum as "enum". */
    private static String kind(Object object) {
        if (object instanceof Enum<?>) {
            return "enum";
        }
        if (object instanceof Workflow || object instanceof Workloads.JdkWorkflow) {
            return "Workflow";
        }
        return object.getClass().getSimpleName().replaceFirst("^Jdk", "");
    }

    private static void count(Map<String, Integer> counts, String key) {
        counts.merge(key, 1, Integer::sum);
    }
}
