package io.veles.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.UnitSummary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest's list of units as snapshot files hold it since format 3: in columns, each class
 * named once.
 *
 * <pre>
 * "units": {"names": ["w2", "start", ...], "typeNames": ["io.x.W2", "io.veles.workflow.StartPoint", ...],
 *           "typeIndexes": [0, 1, ...], "bytes": [812, 3, ...]}
 * </pre>
 *
 * A unit's index is its position. A list with an index elsewhere or a null in it (only a manifest
 * built by hand can have one) is written as before format 3, an array of {@link UnitSummary}
 * objects, and both shapes are read.
 *
 * <p>Why: for a workflow of many units, the list of objects was most of the manifest (941 KB of
 * 10,003 units, each naming its class in full), and writing and reading it took about a tenth of
 * a snapshot and restore of W2. In columns the same list takes 169 KB. Manifests are read whole,
 * by listing and by inspecting too, and a differential snapshot stores its manifest each time.
 *
 * <p>A list that cannot be read is refused with a {@link CorruptSnapshotException}, one that
 * claims more units than the heap could hold with a {@link SnapshotException}; Jackson passes
 * either on as the cause of its own exception.
 *
 * <p>The columns are only for snapshot files: {@code SnapshotWriter}'s mapper writes manifests'
 * units with the {@link Writer} and reads them with the {@link Reader}. Any other JSON of a {@link Manifest} (what {@code veles snapshot inspect --json}
 * prints) keeps the list of objects, for the tools that read it.
 */
public final class UnitColumns {
    static final String NAMES = "names";
    static final String TYPE_NAMES = "typeNames";
    static final String TYPE_INDEXES = "typeIndexes";
    static final String BYTES = "bytes";

    /**
     * The least heap a listed unit takes once read (its summary and its place in the list, name
     * aside): a list claiming more units than the heap could hold is refused as it is read,
     * instead of filling the heap. Columns list a unit in as few as 7 bytes of JSON, so the
     * largest manifest (64 MiB) could claim about 9.6 million.
     */
    static final int HEAP_BYTES_PER_UNIT = 40;

    private UnitColumns() {}

    /** True if {@code units} can be written in columns: none null, each index its position. */
    static boolean fitColumns(List<UnitSummary> units) {
        if (units.isEmpty()) {
            return false; // "[]" says it in two bytes
        }
        for (int i = 0; i < units.size(); i++) {
            UnitSummary unit = units.get(i);
            if (unit == null || unit.index() != i || unit.name() == null || unit.type() == null) {
                return false;
            }
        }
        return true;
    }

    /** Writes a manifest's units in columns, or as the list of objects when {@link #fitColumns} is false. */
    public static final class Writer extends StdSerializer<List<UnitSummary>> {
        public Writer() {
            super(TypeFactory.defaultInstance().constructCollectionType(List.class, UnitSummary.class));
        }

        @Override
        public void serialize(List<UnitSummary> units, JsonGenerator out, SerializerProvider provider)
                throws IOException {
            if (!fitColumns(units)) {
                out.writeStartArray(units, units.size());
                for (UnitSummary unit : units) {
                    provider.defaultSerializeValue(unit, out);
                }
                out.writeEndArray();
                return;
            }
            int count = units.size();
            out.writeStartObject(units);
            out.writeFieldName(NAMES);
            out.writeStartArray(units, count);
            for (UnitSummary unit : units) {
                out.writeString(unit.name());
            }
            out.writeEndArray();
            // Classes in the order first met; units of one class usually come in a row.
            List<String> typeNames = new ArrayList<>();
            Map<String, Integer> indexOfType = new HashMap<>();
            int[] typeIndexes = new int[count];
            long[] bytes = new long[count];
            String previous = null;
            int previousIndex = -1;
            for (int i = 0; i < count; i++) {
                UnitSummary unit = units.get(i);
                if (!unit.type().equals(previous)) {
                    previous = unit.type();
                    previousIndex = indexOfType.computeIfAbsent(previous, type -> {
                        typeNames.add(type);
                        return typeNames.size() - 1;
                    });
                }
                typeIndexes[i] = previousIndex;
                bytes[i] = unit.bytes();
            }
            out.writeFieldName(TYPE_NAMES);
            out.writeStartArray(typeNames, typeNames.size());
            for (String type : typeNames) {
                out.writeString(type);
            }
            out.writeEndArray();
            out.writeFieldName(TYPE_INDEXES);
            out.writeArray(typeIndexes, 0, count);
            out.writeFieldName(BYTES);
            out.writeArray(bytes, 0, count);
            out.writeEndObject();
        }
    }

    /**
     * Reads a manifest's units in either shape: an array of {@link UnitSummary} objects exactly as
     * before format 3, or the columns. Columns must all be there, of equal length, with every
     * class index naming a class; anything else is refused as an invalid manifest. Other
     * properties beside them are ignored, as a manifest's own are.
     */
    public static final class Reader extends StdDeserializer<List<UnitSummary>> {
        private final long maxUnits;

        public Reader() {
            this(Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_UNIT);
        }

        /** Refuses columns of more than {@code maxUnits} units. */
        Reader(long maxUnits) {
            super(List.class);
            this.maxUnits = maxUnits;
        }

        @Override
        public List<UnitSummary> deserialize(JsonParser in, DeserializationContext context) throws IOException {
            if (in.currentToken() == JsonToken.START_ARRAY) {
                JavaType list = context.getTypeFactory().constructCollectionType(List.class, UnitSummary.class);
                return context.readValue(in, list);
            }
            if (in.currentToken() != JsonToken.START_OBJECT) {
                return fail(context, "neither a list nor columns");
            }
            Columns columns = new Columns();
            for (String field = in.nextFieldName(); field != null; field = in.nextFieldName()) {
                in.nextToken();
                switch (field) {
                    case NAMES:
                        columns.names = once(columns.names, field, context, strings(in, context, field));
                        break;
                    case TYPE_NAMES:
                        columns.typeNames = once(columns.typeNames, field, context, strings(in, context, field));
                        break;
                    case TYPE_INDEXES:
                        columns.typeIndexes = once(columns.typeIndexes, field, context, ints(in, context));
                        break;
                    case BYTES:
                        columns.bytes = once(columns.bytes, field, context, longs(in, context));
                        break;
                    default:
                        in.skipChildren(); // a property a later version may add
                }
            }
            return columns.units(context);
        }

        /** The columns read so far; each null until read. */
        private static final class Columns {
            List<String> names;
            List<String> typeNames;
            int[] typeIndexes;
            long[] bytes;

            List<UnitSummary> units(DeserializationContext context) throws IOException {
                if (names == null || typeNames == null || typeIndexes == null || bytes == null) {
                    return fail(
                            context,
                            "a column is missing (" + NAMES + ", " + TYPE_NAMES + ", " + TYPE_INDEXES + " and " + BYTES
                                    + " are needed)");
                }
                if (typeIndexes.length != names.size() || bytes.length != names.size()) {
                    return fail(
                            context,
                            "columns of different lengths (" + names.size() + " names, " + typeIndexes.length
                                    + " class indexes, " + bytes.length + " sizes)");
                }
                List<UnitSummary> units = new ArrayList<>(names.size());
                for (int i = 0; i < names.size(); i++) {
                    int type = typeIndexes[i];
                    if (type < 0 || type >= typeNames.size()) {
                        return fail(
                                context,
                                "unit " + i + " has class index " + type + ", but " + typeNames.size()
                                        + " classes are named");
                    }
                    units.add(new UnitSummary(i, names.get(i), typeNames.get(type), bytes[i]));
                }
                return units;
            }
        }

        private static <T> T once(Object before, String field, DeserializationContext context, T value)
                throws IOException {
            if (before != null) {
                return fail(context, "column " + field + " is given twice");
            }
            return value;
        }

        private List<String> strings(JsonParser in, DeserializationContext context, String field) throws IOException {
            expectArray(in, context);
            List<String> values = new ArrayList<>();
            for (String value = in.nextTextValue(); ; value = in.nextTextValue()) {
                if (value == null) {
                    if (in.currentToken() == JsonToken.END_ARRAY) {
                        return values;
                    }
                    return fail(context, "column " + field + " holds " + in.currentToken() + ", not a string");
                }
                checkCount(values.size() + 1, context);
                values.add(value);
            }
        }

        private int[] ints(JsonParser in, DeserializationContext context) throws IOException {
            expectArray(in, context);
            int[] values = new int[16];
            int count = 0;
            for (JsonToken token = in.nextToken(); token != JsonToken.END_ARRAY; token = in.nextToken()) {
                if (token != JsonToken.VALUE_NUMBER_INT || in.getNumberType() != JsonParser.NumberType.INT) {
                    return fail(context, "column " + TYPE_INDEXES + " holds " + token + ", not an index");
                }
                checkCount(count + 1, context);
                if (count == values.length) {
                    values = Arrays.copyOf(values, count * 2);
                }
                values[count++] = in.getIntValue();
            }
            return Arrays.copyOf(values, count);
        }

        private long[] longs(JsonParser in, DeserializationContext context) throws IOException {
            expectArray(in, context);
            long[] values = new long[16];
            int count = 0;
            for (JsonToken token = in.nextToken(); token != JsonToken.END_ARRAY; token = in.nextToken()) {
                if (token != JsonToken.VALUE_NUMBER_INT
                        || (in.getNumberType() != JsonParser.NumberType.INT
                                && in.getNumberType() != JsonParser.NumberType.LONG)) {
                    return fail(context, "column " + BYTES + " holds " + token + ", not a size");
                }
                checkCount(count + 1, context);
                if (count == values.length) {
                    values = Arrays.copyOf(values, count * 2);
                }
                values[count++] = in.getLongValue();
            }
            return Arrays.copyOf(values, count);
        }

        private static void expectArray(JsonParser in, DeserializationContext context) throws IOException {
            if (in.currentToken() != JsonToken.START_ARRAY) {
                fail(context, "a column is " + in.currentToken() + ", not an array");
            }
        }

        private void checkCount(long count, DeserializationContext context) {
            if (count > maxUnits) {
                throw new SnapshotException("its manifest lists more than " + maxUnits
                        + " units, more than this JVM's whole heap could hold; read it with a larger -Xmx");
            }
        }

        /**
         * Refuses the units as corrupt. Jackson passes the exception on as the cause of its own,
         * and the snapshot's reader rethrows it with the snapshot named.
         */
        private static <T> T fail(DeserializationContext context, String why) {
            throw new CorruptSnapshotException("its manifest's units are invalid: " + why);
        }
    }
}
