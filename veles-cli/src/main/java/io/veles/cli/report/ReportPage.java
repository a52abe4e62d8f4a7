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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

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

    /** What the template's head holds, and so every page written from it, near its start. */
    private static final String TITLE = "<title>veles snapshot report</title>";

    /** Bytes of a file read to tell a page of ours: the template's title lies within its first KiB. */
    private static final int HEAD_BYTES = 2048;

    /**
     * Whether {@code file} is a page this class wrote (a regular file, not a link, whose head holds
     * the template's title): such a file is replaced by a new report without asking, any other is
     * the user's own.
     */
    public static boolean isReport(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            String head = new String(in.readNBytes(HEAD_BYTES), StandardCharsets.UTF_8);
            return head.startsWith("<!DOCTYPE html>") && head.contains(TITLE);
        }
    }

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
