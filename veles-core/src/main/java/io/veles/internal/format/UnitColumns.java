package io.veles.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.internal.util.ByteCounts;
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
 * A unit's index is its position. An empty list, and a list with an index elsewhere or a null in
 * it (only a manifest built by hand can have one), are written as before format 3, an array of
 * {@link UnitSummary} objects, and both shapes are read.
 *
 * <p>Why: for a workflow of many units, the list of objects was nearly all of the manifest (941
 * KB for W2's 10,003 units, each naming its class in full), and writing and reading it took about
 * a tenth of a snapshot and restore of W2. With the units in columns W2's manifest takes 172 KB.
 * Manifests are read whole, by listing and by inspecting too, and a differential snapshot stores
 * its manifest each time.
 *
 * <p>A list that cannot be read is refused with a {@link CorruptSnapshotException}, one that
 * would take more than half the heap with a {@link SnapshotException}; Jackson passes either on
 * as the cause of its own exception.
 *
 * <p>The columns are only for snapshot files: {@code SnapshotWriter}'s mapper is made
 * {@link #inManifests}. Any other JSON of a
 * {@link Manifest} (what {@code veles snapshot inspect --json} prints) keeps the list of objects,
 * for the tools that read it.
 */
public final class UnitColumns {
    static final String NAMES = "names";
    static final String TYPE_NAMES = "typeNames";
    static final String TYPE_INDEXES = "typeIndexes";
    static final String BYTES = "bytes";

    /**
     * A string's object and its array's header, rounded up: what each non-empty name takes as
     * read, besides two bytes a character. The heap a list of units takes as read is counted
     * generously ({@link Columns#take}): each unit's summary and its place in the list (40), its
     * class index and size in growing arrays, copied once at the end (32 each), and its name's
     * place in the list of names (12). Columns list a unit in as few as 8 bytes of JSON, so the
     * largest manifest (64 MiB) could claim millions of units, and a compressed file of kilobytes
     * hold it: units that would take more than half the heap are refused as they are read,
     * instead of filling it.
     */
    static final int STRING_BYTES = 56;

    /** Heap a unit's summary takes as read from a list, beside its strings: the record and its slot. */
    static final int UNIT_SUMMARY_BYTES = 52;

    private UnitColumns() {}

    /** {@code json}, made to write manifests' units in columns and read them in either shape. */
    public static ObjectMapper inManifests(ObjectMapper json) {
        return json.addMixIn(Manifest.class, ManifestUnits.class).addMixIn(Manifest.Builder.class, BuilderUnits.class);
    }

    /** {@link Manifest}'s units, written in columns. */
    private abstract static class ManifestUnits {
        @JsonSerialize(using = Writer.class)
        List<UnitSummary> units;
    }

    /**
     * {@link Manifest.Builder#units}, read from columns or from the list of objects; and its
     * {@code info}, read with a bound ({@link BoundedFacts}).
     */
    private abstract static class BuilderUnits {
        @JsonDeserialize(using = Reader.class)
        abstract Manifest.Builder units(List<UnitSummary> value);

        @JsonDeserialize(using = BoundedFacts.class)
        abstract Manifest.Builder info(java.util.Map<String, Object> value);
    }

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
        private final long heapBudget;

        /** Refuses units that would take more than half of this JVM's heap. */
        public Reader() {
            this(Runtime.getRuntime().maxMemory() / 2);
        }

        /** Refuses units that would take more than {@code heapBudget} bytes of heap as read. */
        Reader(long heapBudget) {
            super(List.class);
            this.heapBudget = heapBudget;
        }

        @Override
        public List<UnitSummary> deserialize(JsonParser in, DeserializationContext context) throws IOException {
            if (in.currentToken() == JsonToken.START_ARRAY) {
                return listed(in, context);
            }
            if (in.currentToken() != JsonToken.START_OBJECT) {
                throw corrupt("neither a list nor columns");
            }
            Columns columns = new Columns(heapBudget);
            for (String field = in.nextFieldName(); field != null; field = in.nextFieldName()) {
                in.nextToken();
                switch (field) {
                    case NAMES:
                        columns.names = once(columns.names, field, columns.strings(in, field, true));
                        break;
                    case TYPE_NAMES:
                        columns.typeNames = once(columns.typeNames, field, columns.strings(in, field, false));
                        break;
                    case TYPE_INDEXES:
                        columns.typeIndexes = once(columns.typeIndexes, field, columns.numbers(in, true));
                        break;
                    case BYTES:
                        columns.bytes = once(columns.bytes, field, columns.numbers(in, false));
                        break;
                    default:
                        in.skipChildren(); // a property a later version may add
                }
            }
            return columns.units();
        }

        /**
         * Units written as a list of objects (format 1 and 2 manifests), each charged as read as
         * the columns charge theirs: a 64 MiB manifest of {@code {}} would otherwise make 22
         * million summaries, about a gigabyte, whatever the heap.
         */
        private List<UnitSummary> listed(JsonParser in, DeserializationContext context) throws IOException {
            Columns charged = new Columns(heapBudget);
            List<UnitSummary> units = new ArrayList<>();
            for (JsonToken token = in.nextToken(); token != JsonToken.END_ARRAY; token = in.nextToken()) {
                // null stays null here: the snapshot's reader refuses it when the file is opened
                UnitSummary unit = token == JsonToken.VALUE_NULL ? null : context.readValue(in, UnitSummary.class);
                charged.take(
                        UNIT_SUMMARY_BYTES + (unit == null ? 0 : stringBytes(unit.name()) + stringBytes(unit.type())));
                units.add(unit);
            }
            return units;
        }

        private static long stringBytes(String value) {
            return value == null || value.isEmpty() ? 0 : STRING_BYTES + 2L * value.length();
        }

        private static <T> T once(Object before, String field, T value) {
            if (before != null) {
                throw corrupt("column " + field + " is given twice");
            }
            return value;
        }
    }

    /** The columns of one list as they are read (each null until read), and the heap they take. */
    private static final class Columns {
        private final long heapBudget;
        private long heapTaken;
        List<String> names;
        List<String> typeNames;
        long[] typeIndexes;
        long[] bytes;

        Columns(long heapBudget) {
            this.heapBudget = heapBudget;
        }

        List<UnitSummary> units() {
            if (names == null || typeNames == null || typeIndexes == null || bytes == null) {
                throw corrupt("a column is missing (" + NAMES + ", " + TYPE_NAMES + ", " + TYPE_INDEXES + " and "
                        + BYTES + " are needed)");
            }
            if (typeIndexes.length != names.size() || bytes.length != names.size()) {
                throw corrupt("columns of different lengths (" + names.size() + " names, " + typeIndexes.length
                        + " class indexes, " + bytes.length + " sizes)");
            }
            if (names.isEmpty()) {
                throw corrupt("columns that list no unit (no units are written as [])");
            }
            List<UnitSummary> units = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) {
                int type = (int) typeIndexes[i]; // read as an int
                if (type < 0 || type >= typeNames.size()) {
                    throw corrupt("unit " + i + " has class index " + type + ", but " + typeNames.size()
                            + " classes are named");
                }
                units.add(new UnitSummary(i, names.get(i), typeNames.get(type), bytes[i]));
            }
            return units;
        }

        /** A column of strings; {@code units} when each is a unit's (its summary is charged with it). */
        List<String> strings(JsonParser in, String field, boolean units) throws IOException {
            expectArray(in);
            List<String> values = new ArrayList<>();
            for (String value = in.nextTextValue(); ; value = in.nextTextValue()) {
                if (value == null) {
                    if (in.currentToken() == JsonToken.END_ARRAY) {
                        return values;
                    }
                    throw corrupt("column " + field + " holds " + in.currentToken() + ", not a string");
                }
                take(12 + (units ? 40 : 0) + (value.isEmpty() ? 0 : STRING_BYTES + 2L * value.length()));
                values.add(value);
            }
        }

        /**
         * A column of numbers: class indexes ({@code indexes}, each an int) or sizes (each a
         * long), in a growing array copied once at the end: 32 bytes of heap each, as read.
         */
        long[] numbers(JsonParser in, boolean indexes) throws IOException {
            expectArray(in);
            long[] values = new long[16];
            int count = 0;
            for (JsonToken token = in.nextToken(); token != JsonToken.END_ARRAY; token = in.nextToken()) {
                JsonParser.NumberType type = token == JsonToken.VALUE_NUMBER_INT ? in.getNumberType() : null;
                if (type != JsonParser.NumberType.INT && (indexes || type != JsonParser.NumberType.LONG)) {
                    throw corrupt(
                            indexes
                                    ? "column " + TYPE_INDEXES + " holds " + token + ", not an index"
                                    : "column " + BYTES + " holds " + token + ", not a size");
                }
                take(32);
                if (count == values.length) {
                    values = Arrays.copyOf(values, count * 2);
                }
                values[count++] = in.getLongValue();
            }
            return Arrays.copyOf(values, count);
        }

        private static void expectArray(JsonParser in) {
            if (in.currentToken() != JsonToken.START_ARRAY) {
                throw corrupt("a column is " + in.currentToken() + ", not an array");
            }
        }

        void take(long heapBytes) {
            heapTaken += heapBytes;
            if (heapTaken > heapBudget) {
                throw new SnapshotException("its manifest's units would take more than " + ByteCounts.format(heapBudget)
                        + " as read, half of this JVM's heap; read it with a larger -Xmx");
            }
        }
    }

    /**
     * The units refused as corrupt. Jackson passes the exception on as the cause of its own, and
     * the snapshot's reader rethrows it with the snapshot named.
     */
    private static CorruptSnapshotException corrupt(String why) {
        return new CorruptSnapshotException("its manifest's units are invalid: " + why);
    }
}
