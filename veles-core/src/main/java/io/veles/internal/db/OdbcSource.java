package io.veles.internal.db;

import io.veles.errors.SnapshotException;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot in a database, named as VELES names it:
 * {@code odbc://<odbc string>&<table>&<id>&<log_id>[&<name>]}. An empty table means
 * {@code veles}, an empty log_id means the id, and no name means the newest by timestamp. We also
 * accept shorter forms: without an id (the newest snapshot in the table) and without a table.
 * {@code &} inside a braced ODBC value ({@code PWD={a&b}}) does not split, nor inside a braced
 * database part ({@code odbc://{jdbc:...?a=1&b=2}&table}), the form printed for such URLs.
 */
public record OdbcSource(String odbc, String table, String id, String logId, String name) {
    public static final String SCHEME = "odbc://";
    /** The table snapshots go to when neither the settings nor the odbc:// source name one. */
    public static final String DEFAULT_TABLE = "veles";

    private static final String FORM = "odbc://<odbc string>&<table>&<id>&<log_id>[&<name>]";

    public static boolean matches(String source) {
        return source != null && source.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** A password given without braces, which an '&' in it would end early. */
    private static final java.util.regex.Pattern PLAIN_PASSWORD =
            java.util.regex.Pattern.compile("(?i)\\b(PWD|PASSWORD)\\s*=\\s*[^{\\s;]");

    public static OdbcSource parse(String source) {
        if (!matches(source)) {
            throw new SnapshotException("not an odbc:// source: expected " + FORM);
        }
        List<String> parts = split(source.substring(SCHEME.length()));
        if (parts.size() > 5) {
            throw new SnapshotException(
                    "odbc source has " + parts.size() + " &-separated parts, expected at most 5: " + FORM);
        }
        String odbc = unbrace(parts.get(0).strip());
        if (odbc.isEmpty()) {
            throw new SnapshotException("odbc source names no database: expected " + FORM);
        }
        String table = part(parts, 1);
        String id = part(parts, 2);
        String logId = part(parts, 3);
        String name = part(parts, 4);
        try {
            table = table.isEmpty() ? DEFAULT_TABLE : Identifiers.table(table);
            if (!id.isEmpty()) {
                Identifiers.id("id", id);
            }
            if (logId.isEmpty()) {
                logId = id;
            } else {
                Identifiers.id("log_id", logId);
            }
            if (!name.isEmpty()) {
                Identifiers.name(name);
            }
        } catch (SnapshotException e) {
            if (PLAIN_PASSWORD.matcher(odbc).find()) {
                // PWD=p@ss&w0rd: the parts quoted may be pieces of the password, so none is shown
                throw new SnapshotException("odbc source: what follows an '&' is not a table, id, log_id or name"
                        + " (not shown: after an unbraced password it may be part of it); a password holding '&'"
                        + " must be braced, PWD={...}");
            }
            throw e;
        }
        return new OdbcSource(odbc, table, id, logId, name);
    }

    /** The source of one stored snapshot. */
    public static OdbcSource of(String odbc, String table, SnapshotRow row) {
        return new OdbcSource(odbc, table, row.id(), row.logId(), row.name());
    }

    /** This source as a user would give it, with the password shown as {@code ***}. */
    public String redacted() {
        return text(odbc.regionMatches(true, 0, "jdbc:", 0, 5) ? DatabaseTarget.redactUrl(odbc) : redactOdbc(odbc));
    }

    /**
     * This source whole, password included: what opening it again needs. For connecting only,
     * never for printing or logging.
     */
    public String unredacted() {
        return text(odbc);
    }

    private String text(String database) {
        StringBuilder text =
                new StringBuilder(SCHEME).append(brace(database)).append('&').append(table);
        if (!id.isEmpty() || !name.isEmpty()) {
            text.append('&').append(id).append('&').append(logId.equals(id) ? "" : logId);
        }
        if (!name.isEmpty()) {
            text.append('&').append(name);
        }
        return text.toString();
    }

    private static String redactOdbc(String odbc) {
        try {
            return OdbcString.parse(odbc).redacted();
        } catch (SnapshotException malformed) {
            return "<malformed ODBC string>";
        }
    }

    @Override
    public String toString() {
        return redacted();
    }

    /**
     * The database part as it can be read back: a {@code jdbc:} URL's parameters are joined by
     * {@code &}, which would split the source, so such a part is wrapped in braces as an ODBC value
     * is ({@code }} inside doubled). ODBC strings brace their own values and stay as they are.
     */
    private static String brace(String database) {
        boolean splits = split(database).size() > 1;
        return splits || database.startsWith("{") ? "{" + database.replace("}", "}}") + "}" : database;
    }

    /** The reverse of {@link #brace}: a part wholly in braces is the database, unescaped. */
    private static String unbrace(String database) {
        if (database.length() >= 2 && database.startsWith("{") && database.endsWith("}")) {
            String inner = database.substring(1, database.length() - 1);
            if (!inner.replace("}}", "").contains("}")) {
                return inner.replace("}}", "}");
            }
        }
        return database;
    }

    private static String part(List<String> parts, int index) {
        return index < parts.size() ? parts.get(index).strip() : "";
    }

    /** Splits on {@code &} outside ODBC braces. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean braced = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (braced) {
                if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                    part.append("}}");
                    i++;
                    continue;
                }
                braced = c != '}';
            } else if (c == '{') {
                braced = true;
            } else if (c == '&') {
                parts.add(part.toString());
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString());
        return parts;
    }
}
