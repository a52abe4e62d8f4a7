package io.veles.snapshot.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

/**
 * The manifest's unit summaries are written and read as Jackson wrote and read the record before
 * it had its own (faster) JSON handling: byte for byte, and accepting and refusing the same JSON.
 */
class UnitSummaryJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesWhatJacksonWroteForTheRecord() throws Exception {
        List<UnitSummary> units = List.of(
                new UnitSummary(0, "w2", "io.veles.bench.W2", 123),
                new UnitSummary(-1, null, null, Long.MAX_VALUE),
                new UnitSummary(Integer.MAX_VALUE, "quote \" slash \\ tab \t nul \0", "ünïcødé ✓ 𝄞", Long.MIN_VALUE),
                new UnitSummary(7, "", "", 0));
        for (UnitSummary unit : units) {
            UnitSummaryJson.AsJacksonReadsIt plain =
                    new UnitSummaryJson.AsJacksonReadsIt(unit.index(), unit.name(), unit.type(), unit.bytes());
            assertThat(JSON.writeValueAsString(unit)).isEqualTo(JSON.writeValueAsString(plain));
            assertThat(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(List.of(unit, unit)))
                    .isEqualTo(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(List.of(plain, plain)));
            assertThat(JSON.readValue(JSON.writeValueAsBytes(unit), UnitSummary.class))
                    .isEqualTo(unit);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"index\":1,\"name\":\"a\",\"type\":\"b\",\"bytes\":2}",
                "{\"index\":1,\"name\":\"a\",\"type\":\"b\",\"bytes\":20000000000}",
                "{\"name\":\"a\",\"index\":1,\"bytes\":2,\"type\":\"b\"}",
                "{\"index\":\"1\",\"name\":\"a\",\"type\":\"b\",\"bytes\":\"2\"}",
                "{\"index\":1.5,\"name\":\"a\",\"type\":\"b\",\"bytes\":2.0}",
                "{\"index\":null,\"name\":null,\"type\":null,\"bytes\":null}",
                "{\"index\":1,\"name\":\"a\",\"type\":\"b\",\"bytes\":2,\"extra\":3}",
                "{\"index\":1,\"name\":\"a\",\"type\":\"b\",\"bytes\":2,\"bytes\":5}",
                "{\"index\":1,\"name\":\"a\",\"type\":\"b\"}",
                "{\"index\":1,\"name\":{\"x\":[1,2]},\"type\":\"b\",\"bytes\":2}",
                "{\"index\":1,\"name\":\"a\",\"type\":[\"b\"],\"bytes\":2}",
                "{\"index\":3000000000,\"name\":\"a\",\"type\":\"b\",\"bytes\":2}",
                "{\"index\":1,\"name\":\"a\",\"type\":\"b\",\"bytes\":99999999999999999999999}",
                "{\"index\":1,\"name\":\"a\",\"type\":\"b\",\"bytes\":true}",
                "{\"index\":1,\"name\":5,\"type\":false,\"bytes\":2}",
                "{}",
                "[]",
                "[1]",
                "\"text\"",
                "5",
                "null",
            })
    void readsWhatJacksonReadForTheRecord(String json) throws Exception {
        for (String text : List.of(json, "[" + json + "]")) {
            Object expected;
            Object actual;
            boolean list = text.startsWith("[" + json);
            try {
                expected = list
                        ? JSON.readerForListOf(UnitSummaryJson.AsJacksonReadsIt.class)
                                .readValue(text)
                        : JSON.readValue(text, UnitSummaryJson.AsJacksonReadsIt.class);
            } catch (Exception e) {
                Throwable refused = catchThrowable(() -> read(text, list));
                assertThat(refused).as(text).isNotNull();
                continue;
            }
            actual = read(text, list);
            assertThat(String.valueOf(actual).replace("UnitSummary", "AsJacksonReadsIt"))
                    .as(text)
                    .isEqualTo(String.valueOf(expected));
        }
    }

    private static Object read(String text, boolean list) throws Exception {
        return list ? JSON.readerForListOf(UnitSummary.class).readValue(text) : JSON.readValue(text, UnitSummary.class);
    }
}
