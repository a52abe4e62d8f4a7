package io.veles.internal.util;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Text that comes from outside (a snapshot's manifest and state, a file or row name) made safe to
 * print on a terminal or in a log line: its control characters are shown escaped, so that it can
 * neither start a forged log line nor send the terminal escape sequences (a new title, a cleared
 * screen) or reorder the line. A newline shows as {@code \n}, a tab as {@code \t}, a carriage
 * return as {@code \r}, and any other C0 or C1 control character, DEL, bidirectional control or
 * unpaired surrogate as {@code \u001b}-style escapes.
 */
public final class Printable {
    private Printable() {}

    /**
     * As {@link #escape}, the first {@code most} characters only, then how many there were: for
     * a name read from a snapshot, which may run to megabytes, quoted in a one-line message.
     */
    public static String escapeAtMost(String text, int most) {
        if (text == null || text.length() <= most) {
            return escape(text);
        }
        int end = most > 0 && Character.isHighSurrogate(text.charAt(most - 1)) ? most - 1 : most; // a pair stays whole
        return escape(text.substring(0, end)) + "... (" + text.length() + " characters)";
    }

    /**
     * {@code value}'s text with its control characters and unpaired surrogates (which a terminal
     * shows as "?", making two names look one) escaped; null as "null".
     */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        if (text.chars().noneMatch(c -> isControl(c) || Character.isSurrogate((char) c))) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                escaped.append(c).append(text.charAt(++i));
                continue;
            }
            if (Character.isSurrogate(c)) {
                escaped.append(String.format("\\u%04x", (int) c));
                continue;
            }
            switch (c) {
                case '\n':
                    escaped.append("\\n");
                    break;
                case '\r':
                    escaped.append("\\r");
                    break;
                case '\t':
                    escaped.append("\\t");
                    break;
                default:
                    if (isControl(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
            }
        }
        return escaped.toString();
    }

    /**
     * C0 controls, DEL, C1 controls and the bidirectional formatting characters (a right-to-left
     * override reorders the rest of the line): what a terminal may act on rather than show.
     */
    public static boolean isControl(int c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || isBidiControl(c);
    }

    private static boolean isBidiControl(int c) {
        return c == 0x061c || c == 0x200e || c == 0x200f || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
    }

    /**
     * For JSON output ({@code mapper.getFactory().setCharacterEscapes(Printable.JSON)}): JSON
     * escapes C0 controls already; this escapes DEL, the C1 controls and the bidirectional
     * controls too.
     */
    public static final CharacterEscapes JSON = new CharacterEscapes() {
        private final int[] ascii = asciiEscapes();

        private int[] asciiEscapes() {
            int[] escapes = standardAsciiEscapesForJSON();
            escapes[0x7f] = ESCAPE_STANDARD;
            return escapes;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return isControl(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    };
}
