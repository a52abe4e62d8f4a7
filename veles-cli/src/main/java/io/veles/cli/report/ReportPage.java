package io.veles.cli.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The report page: the template resource with the report's data embedded as JSON in a
 * {@code <script type="application/json">} element. The data comes from the snapshots (unit names,
 * messages), so the JSON escapes {@code < > &} and every non-ASCII character: nothing in it can
 * close the element or start markup, and the page's script inserts it as text only.
 */
public final class ReportPage {
    private static final String TEMPLATE = "report.html";
    private static final String PLACEHOLDER = "@REPORT_DATA@";

    /** JSON safe inside an HTML script element. */
    static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    static {
        JSON.getFactory().setCharacterEscapes(new CharacterEscapes() {
            private final int[] ascii = escapes();

            private int[] escapes() {
                int[] table = standardAsciiEscapesForJSON();
                for (char c : new char[] {'<', '>', '&', '\'', 0x7f}) {
                    table[c] = ESCAPE_STANDARD;
                }
                return table;
            }

            @Override
            public int[] getEscapeCodesForAscii() {
                return ascii;
            }

            @Override
            public SerializableString getEscapeSequence(int ch) {
                return null; // non-ASCII: the standard \\uXXXX (ESCAPE_NON_ASCII)
            }
        });
    }

    private ReportPage() {}

    /** The whole page for {@code data}. */
    public static String render(ObjectNode data) {
        String template = template();
        int at = template.indexOf(PLACEHOLDER);
        try {
            return template.substring(0, at)
                    + JSON.writeValueAsString(data)
                    + template.substring(at + PLACEHOLDER.length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String template() {
        try (InputStream in = ReportPage.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("the report template " + TEMPLATE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
