package io.veles.bench.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veles.random.Prng;
import io.veles.workflow.Bool;
import io.veles.workflow.EndPoint;
import io.veles.workflow.StartPoint;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JDK serialization anchor of W2 must do the work our snapshot does. Both graphs are walked
 * whole, from their workflow, as a serializer walks them: every object counted once by kind, every
 * further reference to it counted as shared, every null and primitive field, and the characters
 * of every string. A field added to {@link Unit} and not to the mirror, an object shared on one
 * side and copied on the other, or a longer string makes this fail.
 */
class W2MirrorTest {

    @Test
    void theMirrorHoldsTheSameObjectsAsOurGraph() {
        Map<String, Long> ours = census(new Workloads.W2());
        assertEquals(ours, census(Workloads.jdkW2()));
        assertEquals((long) Workloads.W2_UNITS, ours.get("object Small"), "the census sees every unit: " + ours);
        assertEquals(2L * (Workloads.W2_UNITS + 3), ours.get("object Bool"), "and every gate");
    }

    @Test
    void theMirroredClassesHoldTheSameFieldsAsOurs() {
        assertEquals(fieldKinds(Workflow.class), fieldKinds(Workloads.JdkWorkflow.class));
        assertEquals(fieldKinds(Unit.class), fieldKinds(Workloads.JdkUnit.class));
        assertEquals(fieldKinds(Bool.class), fieldKinds(Workloads.JdkBool.class));
        assertEquals(fieldKinds(Workloads.Small.class), fieldKinds(Workloads.JdkSmall.class));
    }

    /** Our generator is captured as its seed and its state's bytes (getState): the mirror holds as many. */
    @Test
    void theMirroredGeneratorHoldsAsManyBytesAsOurs() {
        Prng ours = new Workloads.W2().random();
        assertEquals(ours.position().length() / 2, Workloads.jdkW2().random.generatorState.length);
    }

    /** What the graph from {@code root} holds, counted by kind. */
    static Map<String, Long> census(Object root) {
        Map<String, Long> counts = new TreeMap<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> pending = new ArrayDeque<>();
        seen.put(root, true);
        pending.add(root);
        while (!pending.isEmpty()) {
            Object object = pending.poll();
            count(counts, "object " + kind(object), 1);
            if (object instanceof String string) {
                count(counts, "string characters", string.length());
            }
            for (Object value : contents(object, counts)) {
                if (value == null) {
                    count(counts, "null", 1);
                } else if (seen.put(value, true) == null) {
                    pending.add(value);
                } else {
                    count(counts, "shared " + kind(value), 1);
                }
            }
        }
        return counts;
    }

    private static Iterable<?> contents(Object object, Map<String, Long> counts) {
        if (object instanceof Collection<?> collection) {
            return collection;
        }
        if (object instanceof Map<?, ?> map) {
            List<Object> entries = new ArrayList<>();
            map.forEach((key, value) -> {
                entries.add(key);
                entries.add(value);
            });
            return entries;
        }
        if (object instanceof Prng || object instanceof Workloads.JdkPrng) {
            return List.of(); // its own test compares it
        }
        if (object instanceof Enum<?>
                || object.getClass().isArray()
                || object.getClass().getName().startsWith("java.")) {
            return List.of(); // strings, boxes, enums, arrays of primitives: leaves
        }
        List<Object> values = new ArrayList<>();
        for (Field field : capturedFields(object.getClass())) {
            if (field.getType().isPrimitive()) {
                count(counts, "field " + field.getType().getName(), 1);
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
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (isCaptured(field)) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    private static boolean isCaptured(Field field) {
        int modifiers = field.getModifiers();
        return !Modifier.isStatic(modifiers)
                && !Modifier.isTransient(modifiers)
                && !field.getName().endsWith("_");
    }

    /** A class's own captured fields: name, and primitive type or "object". */
    private static Map<String, Long> fieldKinds(Class<?> type) {
        Map<String, Long> kinds = new TreeMap<>();
        for (Field field : type.getDeclaredFields()) {
            if (isCaptured(field)) {
                String kind = field.getType().isPrimitive() ? field.getType().getName() : "object";
                count(kinds, field.getName() + ": " + kind, 1);
            }
        }
        return kinds;
    }

    /** The class's simple name with the mirror's prefix dropped; our end points are plain units there. */
    private static String kind(Object object) {
        if (object instanceof Enum<?>) {
            return "enum";
        }
        if (object instanceof Workflow || object instanceof Workloads.JdkWorkflow) {
            return "Workflow";
        }
        if (object instanceof StartPoint || object instanceof EndPoint) {
            return "Unit";
        }
        return object.getClass().getSimpleName().replaceFirst("^Jdk", "");
    }

    private static void count(Map<String, Long> counts, String key, long amount) {
        counts.merge(key, amount, Long::sum);
    }
}
