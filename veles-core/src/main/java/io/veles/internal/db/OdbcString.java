package io.veles.internal.db;

import io.veles.errors.SnapshotException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An ODBC connection string, {@code KEY=value;KEY={value; with braces}}, as VELES's
 * {@code odbc} parameter takes it. Keys are case-insensitive and kept upper-cased; a braced value
 * may hold {@code ;} and {@code =}, and {@code }}} stands for one {@code }}.
 *
 * <p>Messages about a malformed string name the key, never a value, so that a password cannot
 * reach a log through an error.
 */
public final class OdbcString {
    /** Keys whose values are secrets: shown as {@code ***} by {@link #redacted}. */
    static final Set<String> SECRET_KEYS = Set.of("PWD", "PASSWORD");

    private final Map<String, String> entries;

    private OdbcString(Map<String, String> entries) {
        this.entries = entries;
    }

    public static OdbcString parse(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        int at = 0;
        String previousKey = null;
        while (at < text.length()) {
            int equals = text.indexOf('=', at);
            int semicolon = text.indexOf(';', at);
            if (semicolon == at) {
                at++; // an empty entry, as in "A=1;;B=2" or a trailing ';'
                continue;
            }
            if (equals < 0 || (semicolon >= 0 && semicolon < equals)) {
                // Not quoted: the text may be the rest of a password that held a ';'.
                throw new SnapshotException(
                        previousKey == null
                                ? "ODBC string: its first entry is not KEY=value"
                                : "ODBC string: the entry after " + previousKey + " is not KEY=value (a value"
                                        + " holding ';' goes in braces: " + previousKey + "={...})");
            }
            String key = text.substring(at, equals).strip().toUpperCase(Locale.ROOT);
            previousKey = key;
            if (key.isEmpty()) {
                throw new SnapshotException("ODBC string: an entry has no key before '='");
            }
            int valueStart = equals + 1;
            while (valueStart < text.length() && text.charAt(valueStart) == ' ') {
                valueStart++;
            }
            String value;
            if (valueStart < text.length() && text.charAt(valueStart) == '{') {
                StringBuilder braced = new StringBuilder();
                int i = valueStart + 1;
                while (true) {
                    if (i >= text.length()) {
                        throw new SnapshotException(
                                "ODBC string: the value of " + key + " opens '{' but never closes it");
                    }
                    char c = text.charAt(i);
                    if (c == '}') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '}') {
                            braced.append('}');
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    braced.append(c);
                    i++;
                }
                value = braced.toString();
                at = i + 1;
                while (at < text.length() && text.charAt(at) == ' ') {
                    at++;
                }
                if (at < text.length() && text.charAt(at) != ';') {
                    throw new SnapshotException("ODBC string: unexpected text after the braced value of " + key);
                }
            } else {
                int end = semicolon < 0 ? text.length() : semicolon;
                value = text.substring(valueStart, end).strip();
                at = end;
            }
            if (entries.containsKey(key)) {
                throw new SnapshotException("ODBC string: " + key + " is given twice");
            }
            entries.put(key, value);
        }
        if (entries.isEmpty()) {
            throw new SnapshotException("ODBC string is empty: expected e.g. DRIVER={SQLite3};DATABASE=snapshots.db");
        }
        return new OdbcString(entries);
    }

    /** The value of {@code key} (any case), or null. */
    public String get(String key) {
        return entries.get(key.toUpperCase(Locale.ROOT));
    }

    /** The first of {@code keys} that is present, or null: ODBC drivers accept several spellings. */
    public String first(String... keys) {
        for (String key : keys) {
            String value = get(key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** All entries, keys upper-cased, in their order. */
    public Map<String, String> entries() {
        return java.util.Collections.unmodifiableMap(entries);
    }

    /** These entries with {@code more} added where this has no value (a DSN's defaults). */
    OdbcString withDefaults(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(entries);
        more.forEach((key, value) -> merged.putIfAbsent(key.toUpperCase(Locale.ROOT), value));
        return new OdbcString(merged);
    }

    /** The string with secret values replaced by {@code ***}, for messages and logs. */
    public String redacted() {
        return redact(entries);
    }

    static String redact(Map<String, String> entries) {
        return entries.entrySet().stream()
                .map(e -> e.getKey() + "=" + (SECRET_KEYS.contains(e.getKey()) ? "***" : quote(e.getValue())))
                .collect(Collectors.joining(";"));
    }

    private static String quote(String value) {
        return value.indexOf(';') >= 0
                        || value.indexOf('{') >= 0
                        || value.indexOf('}') >= 0
                        || !value.equals(value.strip())
                ? "{" + value.replace("}", "}}") + "}"
                : value;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
