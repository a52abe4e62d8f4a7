package io.veles.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import io.veles.errors.CorruptSnapshotException;
import io.veles.errors.SnapshotException;
import io.veles.snapshot.format.Manifest;
import io.veles.snapshot.format.UnitSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The manifest's units in columns: written so whenever the list allows, read back as the same
 * summaries, and the list of objects of formats 1 and 2 still read. Columns that do not fit
 * together are refused, each with its reason.
 */
class UnitColumnsTest {
    /** As snapshot files write manifests (SnapshotWriter's mapper). */
    private static final ObjectMapper FILES = UnitColumns.inManifests(new ObjectMapper());

    /** As anything else writes them, {@code veles snapshot inspect --json} among them. */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static Manifest manifest(List<UnitSummary> units) {
        return Manifest.builder().name("m").units(units).build();
    }

    private static String unitsJson(String json) throws Exception {
        return PLAIN.readTree(json).get("units").toString();
    }

    @Test
    void unitsAreWrittenInColumnsEachClassNamedOnceAndReadBackAsTheyWere() throws Exception {
        List<UnitSummary> units = List.of(
                new UnitSummary(0, "w", "io.x.Flow", 12),
                new UnitSummary(1, "a", "io.x.Layer", 3_000_000_000L),
                new UnitSummary(2, "b", "io.x.Layer", 0),
                new UnitSummary(3, "c", "io.x.Flow", 7),
                new UnitSummary(4, "name \"quoted\"\n\u00e9", "io.x.Other", 1));
        String json = FILES.writeValueAsString(manifest(units));

        assertThat(unitsJson(json))
                .isEqualTo("{\"names\":[\"w\",\"a\",\"b\",\"c\",\"name \\\"quoted\\\"\\n\u00e9\"],"
                        + "\"typeNames\":[\"io.x.Flow\",\"io.x.Layer\",\"io.x.Other\"],"
                        + "\"typeIndexes\":[0,1,1,0,2],\"bytes\":[12,3000000000,0,7,1]}");
        assertThat(FILES.readValue(json, Manifest.class).units).isEqualTo(units);
    }

    @Test
    void anyOtherJsonOfAManifestKeepsTheListOfObjects() throws Exception {
        List<UnitSummary> units = List.of(new UnitSummary(0, "w", "io.x.Flow", 12));
        assertThat(unitsJson(PLAIN.writeValueAsString(manifest(units))))
                .isEqualTo("[{\"index\":0,\"name\":\"w\",\"type\":\"io.x.Flow\",\"bytes\":12}]");
    }

    @Test
    void aListThatColumnsCannotHoldIsWrittenAsObjectsAndReadBack() throws Exception {
        List<List<UnitSummary>> lists = new ArrayList<>();
        lists.add(List.of());
        lists.add(List.of(new UnitSummary(0, "w", "io.x.Flow", 1), new UnitSummary(5, "a", "io.x.Flow", 2)));
        lists.add(List.of(new UnitSummary(0, null, "io.x.Flow", 1)));
        lists.add(List.of(new UnitSummary(0, "w", null, 1)));
        lists.add(Arrays.asList(new UnitSummary(0, "w", "io.x.Flow", 1), null));
        for (List<UnitSummary> units : lists) {
            String json = FILES.writeValueAsString(manifest(units));
            assertThat(json).as("%s", units).isEqualTo(PLAIN.writeValueAsString(manifest(units)));
            assertThat(FILES.readValue(json, Manifest.class).units)
                    .as("%s", units)
                    .isEqualTo(units);
        }
    }

    @Test
    void theListOfObjectsOfFormatsOneAndTwoIsReadAsBefore() throws Exception {
        String json = "{\"name\":\"m\",\"units\":[{\"index\":0,\"name\":\"w\",\"type\":\"io.x.Flow\",\"bytes\":12},"
                + "{\"bytes\":3,\"type\":\"io.x.Layer\",\"name\":\"a\",\"index\":1},null]}";
        assertThat(FILES.readValue(json, Manifest.class).units)
                .containsExactly(
                        new UnitSummary(0, "w", "io.x.Flow", 12), new UnitSummary(1, "a", "io.x.Layer", 3), null);
        assertThat(FILES.readValue("{\"units\":null}", Manifest.class).units).isNull();
    }

    @Test
    void propertiesBesideTheColumnsAreIgnoredAsAManifestsOwnAre() throws Exception {
        String json = "{\"units\":{\"later\":{\"x\":[1,2]},\"names\":[\"w\"],\"typeNames\":[\"io.x.Flow\"],"
                + "\"typeIndexes\":[0],\"note\":\"n\",\"bytes\":[4]}}";
        assertThat(FILES.readValue(json, Manifest.class).units)
                .containsExactly(new UnitSummary(0, "w", "io.x.Flow", 4));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[1]}|a column is missing",
                "{\"names\":[\"w\"],\"typeIndexes\":[0],\"bytes\":[1]}|a column is missing",
                "{\"names\":[\"w\",\"a\"],\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[1,2]}|columns of different lengths (2 names, 1 class indexes, 2 sizes)",
                "{\"names\":[\"w\"],\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[1,2]}|columns of different lengths",
                "{\"names\":[\"w\"],\"typeNames\":[\"T\"],\"typeIndexes\":[1],\"bytes\":[1]}|unit 0 has class index 1, but 1 classes are named",
                "{\"names\":[\"w\"],\"typeNames\":[\"T\"],\"typeIndexes\":[-1],\"bytes\":[1]}|unit 0 has class index -1",
                "{\"names\":[\"w\"],\"typeNames\":[],\"typeIndexes\":[0],\"bytes\":[1]}|unit 0 has class index 0, but 0 classes are named",
                "{\"names\":\"w\",\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[1]}|a column is VALUE_STRING, not an array",
                "{\"names\":[\"w\"],\"typeNames\":[\"T\"],\"typeIndexes\":[\"0\"],\"bytes\":[1]}|column typeIndexes holds VALUE_STRING, not an index",
                "{\"names\":[\"w\"],\"typeNames\":[\"T\"],\"typeIndexes\":[4294967296],\"bytes\":[1]}|column typeIndexes holds VALUE_NUMBER_INT, not an index",
                "{\"names\":[\"w\"],\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[1.5]}|column bytes holds VALUE_NUMBER_FLOAT, not a size",
                "{\"names\":[\"w\"],\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[1e40]}|column bytes holds VALUE_NUMBER_FLOAT, not a size",
                "{\"names\":[\"w\"],\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[18446744073709551616]}|column bytes holds VALUE_NUMBER_INT, not a size",
                "{\"names\":[7],\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[1]}|column names holds VALUE_NUMBER_INT, not a string",
                "{\"names\":[null],\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[1]}|column names holds VALUE_NULL, not a string",
                "{\"names\":[\"w\"],\"typeNames\":[[\"T\"]],\"typeIndexes\":[0],\"bytes\":[1]}|column typeNames holds START_ARRAY, not a string",
                "{\"names\":[\"w\"],\"names\":[\"w\"],\"typeNames\":[\"T\"],\"typeIndexes\":[0],\"bytes\":[1]}|column names is given twice",
                "{\"names\":[],\"typeNames\":[],\"typeIndexes\":[],\"bytes\":[]}|columns that list no unit (no units are written as [])",
                "5|neither a list nor columns",
                "\"w\"|neither a list nor columns",
            })
    void columnsThatDoNotFitTogetherAreRefusedWithTheirReason(String units, String reason) {
        String json = "{\"name\":\"m\",\"units\":" + units + "}";
        assertThatThrownBy(() -> FILES.readValue(json, Manifest.class))
                .isInstanceOf(JacksonException.class)
                .hasCauseExactlyInstanceOf(CorruptSnapshotException.class)
                .satisfies(e -> assertThat(e.getCause().getMessage())
                        .startsWith("its manifest's units are invalid: " + reason));
    }

    @Test
    void unitsThatWouldTakeMoreHeapThanTheBudgetAreRefusedAsTheyAreRead() throws Exception {
        // Each unit named "a" is counted at 174 bytes, the class name "T" at 70: three units take 592.
        UnitColumns.Reader reader = new UnitColumns.Reader(600);
        assertThat(read(reader, columns(3))).hasSize(3);
        assertThatThrownBy(() -> read(reader, columns(4)))
                .isExactlyInstanceOf(SnapshotException.class)
                .hasMessage("its manifest's units would take more than 600 B as read, half of this JVM's heap;"
                        + " read it with a larger -Xmx");
        // Refused while the first column is read: a claim of many units is not read to its end.
        assertThatThrownBy(() -> read(reader, "{\"names\":[" + "\"a\",".repeat(1000) + "{}]}"))
                .isExactlyInstanceOf(SnapshotException.class);
        assertThat(read(new UnitColumns.Reader(1 << 20), columns(5000))).hasSize(5000);
    }

    /** Units written as a list of objects (formats 1 and 2) are charged as they are read too. */
    @Test
    void unitsListedAsObjectsAreChargedAsTheyAreRead() throws Exception {
        UnitColumns.Reader reader = new UnitColumns.Reader(10_000);
        String one = "{\"index\":0,\"name\":\"a\",\"type\":\"T\",\"bytes\":1}";
        assertThat(read(reader, "[" + one + "," + one + "]")).hasSize(2);
        assertThatThrownBy(() -> read(reader, "[" + "{},".repeat(100_000) + "{}]"))
                .isExactlyInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("its manifest's units would take more than 9.8 KiB as read");
        assertThat(read(new UnitColumns.Reader(1 << 20), "[" + (one + ",").repeat(999) + one + "]"))
                .hasSize(1000);
    }

    /** Columns of {@code count} units named "a", of class "T". */
    private static String columns(int count) {
        return "{\"names\":[" + String.join(",", java.util.Collections.nCopies(count, "\"a\"")) + "],"
                + "\"typeNames\":[\"T\"],"
                + "\"typeIndexes\":[" + String.join(",", java.util.Collections.nCopies(count, "0")) + "],"
                + "\"bytes\":[" + String.join(",", java.util.Collections.nCopies(count, "1")) + "]}";
    }

    private static List<UnitSummary> read(UnitColumns.Reader reader, String json) throws Exception {
        try (JsonParser in = PLAIN.createParser(json)) {
            in.nextToken();
            DeserializationContext context = ((DefaultDeserializationContext) PLAIN.getDeserializationContext())
                    .createInstance(PLAIN.getDeserializationConfig(), in, null);
            return reader.deserialize(in, context);
        }
    }
}
