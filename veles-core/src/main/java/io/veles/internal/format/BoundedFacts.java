package io.veles.internal.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.veles.errors.CorruptSnapshotException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a manifest's {@code info} (the facts a run recorded: its epoch, metric, suffix...) as
 * maps, lists and scalars, refusing more than {@link #MAX_VALUES} values in all. Each empty
 * {@code []} of JSON is two bytes and becomes a list of some 48 bytes: a compressed manifest of a
 * few KB could otherwise fill the heap with them before any other check ran.
 */
public final class BoundedFacts extends StdDeserializer<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    /** Far above what a run records: a few facts, or a history of metrics per epoch. */
    public static final int MAX_VALUES = 1_000_000;

    /** Writes other objects' values as a tree, to count them as Jackson writes them. */
    private static final com.fasterxml.jackson.databind.ObjectMapper TREE =
            new com.fasterxml.jackson.databind.ObjectMapper();

    public BoundedFacts() {
        super(Map.class);
    }

    /**
     * Refuses, before a snapshot is written, facts that a reader would refuse: a run recording a
     * value per iteration must learn it at once, not when it resumes.
     */
    public static void checkWritable(Map<String, Object> facts) {
        if (facts != null && count(facts, 0) > MAX_VALUES) {
            throw new io.veles.errors.SnapshotException(
                    "a snapshot's info (the facts recorded with it) may hold at most " + MAX_VALUES
                            + " values, and this one holds more: record fewer, or summaries");
        }
    }

    /**
     * {@code counted} plus the values {@code value} is written as, stopping once above the bound:
     * maps, lists and arrays (primitive ones too) value by value, as a reader counts them; any
     * other object as the JSON Jackson writes for it.
     */
    private static int count(Object value, int counted) {
        int total = counted + 1;
        if (value == null
                || value instanceof Number
                || value instanceof CharSequence
                || value instanceof Boolean
                || value instanceof Character
                || value instanceof Enum<?>) {
            return total;
        }
        if (value instanceof Map<?, ?> map) {
            return countAll(map.values(), total);
        }
        if (value instanceof Iterable<?> list) {
            return countAll(list, total);
        }
        if (value instanceof Object[] array) {
            return countAll(java.util.Arrays.asList(array), total);
        }
        if (value.getClass().isArray()) { // of a primitive type: one value per element
            return total + java.lang.reflect.Array.getLength(value);
        }
        return counted + nodes(TREE.valueToTree(value));
    }

    private static int countAll(Iterable<?> values, int counted) {
        int total = counted;
        for (java.util.Iterator<?> each = values.iterator(); each.hasNext() && total <= MAX_VALUES; ) {
            total = count(each.next(), total);
        }
        return total;
    }

    /** The values in a JSON tree, itself included. */
    private static int nodes(com.fasterxml.jackson.databind.JsonNode node) {
        int total = 1;
        for (com.fasterxml.jackson.databind.JsonNode inner : node) {
            total += nodes(inner);
        }
        return total;
    }

    @Override
    public Map<String, Object> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new CorruptSnapshotException("its manifest's info is not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> facts = (Map<String, Object>) value(parser, new int[1]);
        return facts;
    }

    /** The value at the parser's current token, counting it and everything inside it in {@code count}. */
    private static Object value(JsonParser parser, int[] count) throws IOException {
        if (++count[0] > MAX_VALUES) {
            throw new CorruptSnapshotException("its manifest's info holds more than " + MAX_VALUES + " values");
        }
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
                    parser.nextToken();
                    map.put(key, value(parser, count));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser, count));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new CorruptSnapshotException("its manifest's info holds an unexpected " + token);
        }
    }
}
