package com.example.catalogue;

import com.example.labels.Label;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everyday values an application keeps in its units, built the same way in every JVM, and the
 * test of whether a restored value is the one built: equal, and for values whose behaviour
 * equality does not show (access order, comparators, enum types), behaving alike.
 */
public final class Catalogue {
    private Catalogue() {}

    public enum Color {
        RED,
        GREEN,
        BLUE
    }

    public enum Op {
        ADD {
            @Override
            public int apply(int a, int b) {
                return a + b;
            }
        },
        MUL {
            @Override
            public int apply(int a, int b) {
                return a * b;
            }
        };

        public abstract int apply(int a, int b);
    }

    public enum Shape {
        CIRCLE,
        SQUARE
    }

    public record Point(double x, double y) {}

    public record Route(String name, List<Point> stops, Color color) {}

    /** Wraps a value one field deeper, for messages that name the path to it. */
    public record Boxed(Object content) {}

    /** Orders strings by length, then alphabetically: a comparator class, captured like any object. */
    public static final class ByLength implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
    }

    /** Largest first. */
    public static final class Descending implements Comparator<Integer> {
        @Override
        public int compare(Integer a, Integer b) {
            return b.compareTo(a);
        }
    }

    /** The workflow holding the catalogue: one unit per value, named after it. */
    public static final class CatalogueWorkflow extends Workflow {
        public CatalogueWorkflow() {
            super("catalogue");
        }
    }

    /** Holds one value of the catalogue. */
    public static final class Shelf extends Unit {
        public Object value;

        public Shelf(Workflow workflow, String name, Object value) {
            super(workflow, name);
            this.value = value;
        }

        @Override
        public void run() {}
    }

    /** A workflow with one shelf per value of {@link #values()}. */
    public static CatalogueWorkflow workflow() {
        CatalogueWorkflow workflow = new CatalogueWorkflow();
        values().forEach((name, value) -> new Shelf(workflow, name, value));
        return workflow;
    }

    /** The catalogue: name to value, the same in every JVM. */
    public static Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        // java.util collections
        values.put("ArrayList", new ArrayList<>(List.of(3, 1, 2)));
        values.put("LinkedList", new LinkedList<>(List.of("a", "b")));
        values.put("ArrayDeque", new ArrayDeque<>(List.of(1.5, 2.5)));
        PriorityQueue<Integer> queue = new PriorityQueue<>(new Descending());
        queue.addAll(List.of(5, 1, 9, 3));
        values.put("PriorityQueue with a comparator", queue);
        values.put("HashMap", new HashMap<>(Map.of("one", 1, "two", 2)));
        LinkedHashMap<String, Integer> inserted = new LinkedHashMap<>();
        inserted.put("z", 1);
        inserted.put("a", 2);
        values.put("LinkedHashMap", inserted);
        LinkedHashMap<String, Integer> lru = new LinkedHashMap<>(16, 0.75f, true);
        lru.put("first", 1);
        lru.put("second", 2);
        lru.put("third", 3);
        lru.get("first"); // now second, third, first
        values.put("LinkedHashMap in access order", lru);
        values.put("LinkedHashMap in access order, empty", new LinkedHashMap<>(16, 0.75f, true));
        values.put("TreeMap", new TreeMap<>(Map.of("b", 2, "a", 1)));
        TreeMap<String, Integer> byLength = new TreeMap<>(new ByLength());
        byLength.putAll(Map.of("ccc", 3, "a", 1, "bb", 2));
        values.put("TreeMap with a comparator class", byLength);
        values.put("HashSet", new HashSet<>(Set.of("x", "y")));
        values.put("LinkedHashSet", new LinkedHashSet<>(List.of("q", "p")));
        TreeSet<String> sorted = new TreeSet<>(new ByLength());
        sorted.addAll(List.of("dddd", "a", "cc"));
        values.put("TreeSet with a comparator class", sorted);
        EnumMap<Color, String> colors = new EnumMap<>(Color.class);
        colors.put(Color.BLUE, "sky");
        colors.put(Color.RED, "fire");
        values.put("EnumMap", colors);
        values.put("EnumMap, empty", new EnumMap<Shape, String>(Shape.class));
        values.put("EnumSet", EnumSet.of(Color.GREEN, Color.BLUE));
        values.put("EnumSet, empty", EnumSet.noneOf(Shape.class));
        values.put("Optional", Optional.of("present"));
        values.put("Optional, empty", Optional.empty());
        values.put("OptionalInt", OptionalInt.of(42));
        BitSet bits = new BitSet();
        bits.set(1);
        bits.set(100);
        values.put("BitSet", bits);
        values.put("UUID", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        values.put("List.of", List.of("i", "j", "k"));
        values.put("Set.of", Set.of(1, 2, 3));
        values.put("Map.of", Map.of("k", "v", "l", "w"));
        values.put("Collections.emptyList", Collections.emptyList());
        values.put("Collections.singletonList", Collections.singletonList("only"));
        values.put("Arrays.asList", Arrays.asList("p", "q"));
        values.put("ConcurrentHashMap", new ConcurrentHashMap<>(Map.of("c", 3)));
        values.put("CopyOnWriteArrayList", new CopyOnWriteArrayList<>(List.of(7, 8)));
        // java.time
        values.put("Instant", Instant.parse("2026-03-01T10:15:30.123456789Z"));
        values.put("Duration", Duration.ofSeconds(3661, 5));
        values.put("LocalDate", LocalDate.of(2026, 2, 28));
        values.put("LocalTime", LocalTime.of(23, 59, 58, 1));
        values.put("LocalDateTime", LocalDateTime.of(2026, 1, 2, 3, 4, 5));
        values.put("OffsetDateTime", OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(-7)));
        values.put("ZonedDateTime", ZonedDateTime.of(2026, 7, 1, 12, 0, 0, 0, ZoneId.of("Europe/Berlin")));
        values.put("ZoneId", ZoneId.of("America/New_York"));
        values.put("ZoneOffset", ZoneOffset.ofHoursMinutes(5, 30));
        values.put("Period", Period.of(1, 2, 3));
        values.put("Year", Year.of(1999));
        values.put("YearMonth", YearMonth.of(2026, 12));
        values.put("MonthDay", MonthDay.of(2, 29));
        values.put("DayOfWeek", DayOfWeek.FRIDAY);
        values.put("Month", Month.OCTOBER);
        // java.math
        values.put("BigInteger", new BigInteger("123456789012345678901234567890"));
        values.put("BigDecimal", new BigDecimal("-3.14159265358979323846"));
        // atomics
        values.put("AtomicInteger", new AtomicInteger(17));
        values.put("AtomicLong", new AtomicLong(1L << 40));
        values.put("AtomicBoolean", new AtomicBoolean(true));
        // paths and URIs
        values.put("Path", Path.of("/data/runs/wine", "epoch_3.snap"));
        values.put("Path, relative", Path.of("results", "out.json"));
        values.put("URI", URI.create("https://example.com/data?x=1#frag"));
        // arrays
        values.put("Object[]", new Object[] {1, "two", 3.0, null, List.of(4)});
        values.put("String[]", new String[] {"a", null, "c"});
        values.put("Integer[][]", new Integer[][] {{1, 2}, {3}});
        values.put("record[]", new Point[] {new Point(1, 2), new Point(3, 4)});
        values.put("long[][]", new long[][] {{1L, 2L}, {}});
        // records, enums, nested generics, the application's own classes
        values.put("record", new Point(0.5, -0.5));
        values.put("nested record", new Route("loop", List.of(new Point(0, 0), new Point(1, 1)), Color.GREEN));
        values.put("enum", Shape.SQUARE);
        values.put("enum constant with a body", Op.MUL);
        Map<String, List<Set<Integer>>> nested = new TreeMap<>();
        nested.put("evens", List.of(new TreeSet<>(Set.of(2, 4)), new HashSet<>(Set.of(6))));
        nested.put("none", new ArrayList<>());
        values.put("nested generics", nested);
        values.put("Optional in a list", new ArrayList<>(List.of(Optional.of(1), Optional.empty())));
        values.put("class of another package of the application", new Label("fresh", 3));
        values.put("StringBuilder", new StringBuilder("built"));
        values.put("Character", 'x');
        values.put("Object (a lock)", new Object());
        return values;
    }

    /** Null if {@code actual}, restored, is {@code expected}; otherwise what differs. */
    public static String difference(Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == actual ? null : "null on one side: " + expected + " / " + actual;
        }
        if (expected.getClass() != actual.getClass()) {
            return "class " + actual.getClass().getName() + " instead of "
                    + expected.getClass().getName();
        }
        if (expected.getClass() == Object.class) {
            return null;
        }
        if (expected instanceof StringBuilder
                || expected instanceof AtomicInteger
                || expected instanceof AtomicLong
                || expected instanceof AtomicBoolean) {
            return same(expected.toString(), actual.toString());
        }
        if (expected instanceof ArrayDeque) {
            return same(new ArrayList<>((ArrayDeque<?>) expected), new ArrayList<>((ArrayDeque<?>) actual));
        }
        if (expected instanceof PriorityQueue) {
            return same(drain((PriorityQueue<?>) expected), drain((PriorityQueue<?>) actual));
        }
        if (expected instanceof LinkedHashMap) {
            return linkedMapDifference((LinkedHashMap<?, ?>) expected, (LinkedHashMap<?, ?>) actual);
        }
        if (expected instanceof TreeMap) {
            return sortedDifference(
                    ((TreeMap<?, ?>) expected).keySet(),
                    ((TreeMap<?, ?>) actual).keySet(),
                    ((TreeMap<?, ?>) expected).comparator(),
                    ((TreeMap<?, ?>) actual).comparator(),
                    expected,
                    actual);
        }
        if (expected instanceof TreeSet) {
            return sortedDifference(
                    (TreeSet<?>) expected,
                    (TreeSet<?>) actual,
                    ((TreeSet<?>) expected).comparator(),
                    ((TreeSet<?>) actual).comparator(),
                    expected,
                    actual);
        }
        if (expected instanceof EnumMap) {
            return enumMapDifference((EnumMap<?, ?>) expected, (EnumMap<?, ?>) actual);
        }
        if (expected instanceof EnumSet) {
            // The complement names the set's enum type even when the set is empty.
            String members = same(expected, actual);
            return members != null
                    ? members
                    : same(EnumSet.complementOf((EnumSet) expected), EnumSet.complementOf((EnumSet) actual));
        }
        if (expected instanceof Op) {
            return expected == actual && ((Op) actual).apply(3, 4) == 12 ? null : "another constant: " + actual;
        }
        if (expected.getClass().isArray()) {
            return Objects.deepEquals(expected, actual)
                    ? null
                    : "array " + Arrays.deepToString(new Object[] {actual}) + " instead of "
                            + Arrays.deepToString(new Object[] {expected});
        }
        return same(expected, actual);
    }

    private static String same(Object expected, Object actual) {
        return expected.equals(actual) ? null : actual + " instead of " + expected;
    }

    private static List<Object> drain(PriorityQueue<?> queue) {
        PriorityQueue<?> copy = new PriorityQueue<>(queue);
        List<Object> order = new ArrayList<>();
        while (!copy.isEmpty()) {
            order.add(copy.poll());
        }
        return order;
    }

    /** Equal entries in the same order, and the same order after a read: access order kept. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String linkedMapDifference(LinkedHashMap expected, LinkedHashMap actual) {
        String entries = same(new ArrayList<>(expected.entrySet()), new ArrayList<>(actual.entrySet()));
        if (entries != null) {
            return entries;
        }
        expected.put("probe-a", 0);
        actual.put("probe-a", 0);
        expected.put("probe-b", 0);
        actual.put("probe-b", 0);
        Object firstKey = expected.keySet().iterator().next();
        expected.get(firstKey);
        actual.get(firstKey);
        return same(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet())) == null
                ? null
                : "iteration order after a read differs: access order lost (" + actual.keySet() + " instead of "
                        + expected.keySet() + ")";
    }

    /** Equal in order, the same comparator class, and a new key sorted alike. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String sortedDifference(
            Set<?> expectedKeys,
            Set<?> actualKeys,
            Comparator<?> expectedOrder,
            Comparator<?> actualOrder,
            Object expected,
            Object actual) {
        String contents = same(expected, actual);
        if (contents != null) {
            return contents;
        }
        if ((expectedOrder == null) != (actualOrder == null)
                || expectedOrder != null && expectedOrder.getClass() != actualOrder.getClass()) {
            return "comparator " + actualOrder + " instead of " + expectedOrder;
        }
        Object probe = "zz";
        if (expected instanceof TreeMap) {
            ((TreeMap) expected).put(probe, 0);
            ((TreeMap) actual).put(probe, 0);
        } else {
            ((TreeSet) expected).add(probe);
            ((TreeSet) actual).add(probe);
        }
        return same(new ArrayList<>(expectedKeys), new ArrayList<>(actualKeys));
    }

    /** Equal entries, and a key type that takes the same keys: an empty map's type too. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String enumMapDifference(EnumMap expected, EnumMap actual) {
        String entries = same(expected, actual);
        if (entries != null) {
            return entries;
        }
        Enum<?> key = expected.isEmpty()
                ? Shape.CIRCLE
                : (Enum<?>) expected.keySet().iterator().next();
        try {
            actual.put(key, "probe");
        } catch (ClassCastException e) {
            return "key type differs: " + e.getMessage();
        }
        try {
            actual.put(DayOfWeek.MONDAY, "wrong");
            return "takes keys of any enum: the key type was lost";
        } catch (ClassCastException expectedRefusal) {
            return null;
        }
    }
}
