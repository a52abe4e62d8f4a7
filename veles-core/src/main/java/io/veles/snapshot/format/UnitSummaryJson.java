package io.veles.snapshot.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import java.io.IOException;

/**
 * The manifest's JSON for a {@link UnitSummary}, written and read with the streaming API: a
 * manifest lists every unit, and Jackson's record handling (a reflective call per component, a
 * property buffer per object) took about a quarter of the time to write and read a manifest of
 * 10,000 units. The JSON is exactly what Jackson wrote for the record with the default mapper
 * settings the snapshot files use: {@code {"index":..,"name":..,"type":..,"bytes":..}}.
 *
 * <p>Reading takes that exact shape directly; anything else (other order, nulls, unknown or
 * missing properties, numbers as strings) is replayed to Jackson's own handling of a record of
 * the same components, so that what was accepted or refused before still is.
 */
final class UnitSummaryJson {
    private static final SerializedString INDEX = new SerializedString("index");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString BYTES = new SerializedString("bytes");

    private UnitSummaryJson() {}

    /** Jackson's own view of the record, for JSON of any other shape. */
    record AsJacksonReadsIt(int index, String name, String type, long bytes) {}

    static final class Writer extends StdSerializer<UnitSummary> {
        Writer() {
            super(UnitSummary.class);
        }

        @Override
        public void serialize(UnitSummary unit, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject(unit);
            out.writeFieldName(INDEX);
            out.writeNumber(unit.index());
            out.writeFieldName(NAME);
            out.writeString(unit.name());
            out.writeFieldName(TYPE);
            out.writeString(unit.type());
            out.writeFieldName(BYTES);
            out.writeNumber(unit.bytes());
            out.writeEndObject();
        }
    }

    static final class Reader extends StdDeserializer<UnitSummary> {
        /** The properties in the order written. */
        private static final SerializedString[] WRITTEN = {INDEX, NAME, TYPE, BYTES};

        Reader() {
            super(UnitSummary.class);
        }

        @Override
        public UnitSummary deserialize(JsonParser in, DeserializationContext context) throws IOException {
            if (in.currentToken() != JsonToken.START_OBJECT) {
                return asJacksonReadsIt(context.readValue(in, AsJacksonReadsIt.class));
            }
            // The shape written, one property at a time; on a surprise, what was read is replayed.
            if (!in.nextFieldName(INDEX) || !isInt(in.nextToken(), in)) {
                return replay(in, context, 0, 0, null, null, 0);
            }
            int index = in.getIntValue();
            if (!in.nextFieldName(NAME) || in.nextToken() != JsonToken.VALUE_STRING) {
                return replay(in, context, 1, index, null, null, 0);
            }
            String name = in.getText();
            if (!in.nextFieldName(TYPE) || in.nextToken() != JsonToken.VALUE_STRING) {
                return replay(in, context, 2, index, name, null, 0);
            }
            String type = in.getText();
            if (!in.nextFieldName(BYTES) || !isLong(in.nextToken(), in)) {
                return replay(in, context, 3, index, name, type, 0);
            }
            long bytes = in.getLongValue();
            if (in.nextToken() != JsonToken.END_OBJECT) {
                return replay(in, context, 4, index, name, type, bytes);
            }
            return new UnitSummary(index, name, type, bytes);
        }

        private static boolean isInt(JsonToken token, JsonParser in) throws IOException {
            return token == JsonToken.VALUE_NUMBER_INT && in.getNumberType() == JsonParser.NumberType.INT;
        }

        private static boolean isLong(JsonToken token, JsonParser in) throws IOException {
            return token == JsonToken.VALUE_NUMBER_INT
                    && (in.getNumberType() == JsonParser.NumberType.INT
                            || in.getNumberType() == JsonParser.NumberType.LONG);
        }

        /**
         * Hands the object to Jackson's own record handling: the first {@code taken} properties as
         * read, then the rest from where the parser stands, on an unexpected property name or end,
         * or on the unexpected value of property {@code taken}.
         */
        private static UnitSummary replay(
                JsonParser in,
                DeserializationContext context,
                int taken,
                int index,
                String name,
                String type,
                long bytes)
                throws IOException {
            TokenBuffer buffer = context.bufferForInputBuffering(in);
            buffer.writeStartObject();
            if (taken > 0) {
                buffer.writeNumberField(INDEX.getValue(), index);
            }
            if (taken > 1) {
                buffer.writeStringField(NAME.getValue(), name);
            }
            if (taken > 2) {
                buffer.writeStringField(TYPE.getValue(), type);
            }
            if (taken > 3) {
                buffer.writeNumberField(BYTES.getValue(), bytes);
            }
            if (in.currentToken() != JsonToken.FIELD_NAME && in.currentToken() != JsonToken.END_OBJECT) {
                buffer.writeFieldName(WRITTEN[taken].getValue());
                buffer.copyCurrentStructure(in);
                in.nextToken();
            }
            while (in.currentToken() != JsonToken.END_OBJECT) {
                buffer.copyCurrentStructure(in); // a property's name and value
                in.nextToken();
            }
            buffer.writeEndObject();
            try (JsonParser replayed = buffer.asParser(in.getCodec())) {
                replayed.nextToken();
                return asJacksonReadsIt(context.readValue(replayed, AsJacksonReadsIt.class));
            }
        }

        private static UnitSummary asJacksonReadsIt(AsJacksonReadsIt read) {
            return read == null ? null : new UnitSummary(read.index(), read.name(), read.type(), read.bytes());
        }
    }
}
