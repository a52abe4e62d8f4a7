package io.veles.snapshot.export;

import io.veles.errors.SnapshotException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Writes arrays, filtered by a {@code --fields} glob, in a format, atomically to an {@link OutputTarget}. */
public final class ArchiveOutput {
    private ArchiveOutput() {}

    /** The arrays {@code glob} selects (all when null); none is a one-line error. */
    public static List<ExportedArray> select(List<ExportedArray> arrays, String glob) {
        if (glob == null) {
            if (arrays.isEmpty()) {
                throw new SnapshotException("found no numeric arrays to export");
            }
            return arrays;
        }
        FieldGlob pattern = new FieldGlob(glob);
        List<ExportedArray> selected = new ArrayList<>();
        for (ExportedArray array : arrays) {
            if (pattern.matches(array.name())) {
                selected.add(array);
            }
        }
        if (selected.isEmpty()) {
            List<String> some =
                    arrays.stream().limit(5).map(ExportedArray::name).toList();
            throw new SnapshotException("--fields '" + glob + "' matches none of the " + arrays.size() + " arrays ("
                    + String.join(", ", some) + (arrays.size() > some.size() ? ", ..." : "") + ")");
        }
        return selected;
    }

    /** Writes to the target's temporary name and moves it into place; on failure, leaves nothing. */
    public static void write(
            ExportFormat format, List<ExportedArray> arrays, ExportMetadata metadata, OutputTarget target)
            throws IOException {
        boolean done = false;
        try {
            format.writer().write(arrays, metadata, target.temporary());
            target.commit();
            done = true;
        } finally {
            if (!done) {
                target.discard();
            }
        }
    }
}
