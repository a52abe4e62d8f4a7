package io.veles.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veles.errors.SnapshotException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A copy of a run's facts (a snapshot's {@code info}) that the run cannot change any more. An
 * asynchronous snapshot writes its manifest again on the background thread (a differential
 * file's own), and retention reads the facts there too: a list or map the run keeps adding to
 * would be read at two moments, and the two manifests would disagree.
 */
public final class FrozenFacts {
    /** Writes a value as the tree Jackson would write it as: the same JSON, in objects of its own. */
    private static final ObjectMapper TREE = new ObjectMapper();

    private FrozenFacts() {}

    /**
     * {@code facts} with every value that could change (a collection, an array, a bean) replaced
     * by the JSON tree it is written as now; strings, booleans and the JDK's immutable numbers are
     * kept as they are, so that a metric stays a number.
     */
    public static Map<String, Object> of(Map<String, ?> facts) {
        Map<String, Object> frozen = new LinkedHashMap<>();
        facts.forEach((key, value) -> frozen.put(key, isImmutable(value) ? value : tree(key, value)));
        return frozen;
    }

    private static Object tree(String key, Object value) {
        try {
            JsonNode tree = TREE.valueToTree(value);
            // A mutable number (an AtomicLong metric) stays a number, as retention reads metrics.
            return tree.isValueNode() && !tree.isNull() && !tree.isBinary() ? scalarOf(tree) : tree;
        } catch (IllegalArgumentException notJson) {
            throw new SnapshotException("the fact '" + key + "' recorded with the snapshot cannot be written as JSON: "
                    + notJson.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Object scalarOf(JsonNode tree) {
        if (tree.isNumber()) {
            return tree.numberValue();
        }
        return tree.isBoolean() ? (Object) tree.booleanValue() : tree.asText();
    }

    private static boolean isImmutable(Object value) {
        return value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Character
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Double
                || value instanceof Float
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger && value.getClass() == BigInteger.class
                || value instanceof BigDecimal && value.getClass() == BigDecimal.class
                || value instanceof Enum;
    }
}
