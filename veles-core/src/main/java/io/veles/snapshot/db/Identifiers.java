package io.veles.snapshot.db;

import io.veles.snapshot.SnapshotException;
import java.util.regex.Pattern;

/**
 * The shapes we accept for what goes into SQL by name (a table) or identifies a snapshot (its id,
 * log_id and name). Values are always bound as parameters; these checks refuse anything else early
 * and clearly, injection attempts included, and keep odbc:// sources unambiguous.
 */
public final class Identifiers {
    /** Room is left for the {@code _chunks} suffix within every dialect's 63-character limit. */
    static final int MAX_TABLE_LENGTH = 56;
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_TABLE_LENGTH - 1) + "}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,36}");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_.,:+=@ ()\\[\\]-]{1,100}");

    private Identifiers() {
    }

    public static String table(String table) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new SnapshotException("table name '" + table + "' is not an identifier: use letters, digits and _, "
                    + "starting with a letter or _, at most " + MAX_TABLE_LENGTH + " characters");
        }
        return table;
    }

    /** An id or log_id: a launcher's UUID, or up to 36 letters, digits and dashes. */
    public static String id(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new SnapshotException(what + " '" + id + "' is not a run id: expected a UUID (up to 36 letters, digits and -)");
        }
        return id;
    }

    /** A snapshot's name ({@code <prefix>_<suffix>}): up to 100 letters, digits, spaces and {@code _.,:+=@()[]-}. */
    public static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SnapshotException("snapshot name '" + name + "' is not allowed: use up to 100 letters, digits, "
                    + "spaces and _.,:+=@()[]-");
        }
        return name;
    }
}
