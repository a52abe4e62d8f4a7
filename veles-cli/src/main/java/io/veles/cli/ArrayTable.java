package io.veles.cli;

import io.veles.internal.util.ByteCounts;
import io.veles.internal.util.Printable;
import io.veles.snapshot.export.ExportedArray;

import java.util.List;

/** The table of arrays export and import-veles print: name, dtype, shape, size. */
final class ArrayTable {
    private ArrayTable() {}

    static void print(List<ExportedArray> arrays) {
        int width = Math.max(
                5, arrays.stream().mapToInt(a -> a.name().length()).max().orElse(0));
        width = Math.min(width, 60);
        String row = "%-" + width + "s %-5s %-20s %10s%n";
        System.out.printf(row, "ARRAY", "DTYPE", "SHAPE", "SIZE");
        for (ExportedArray array : arrays) {
            // names come from the snapshot or pickle: shown escaped
            System.out.printf(
                    row,
                    Printable.escape(array.name()),
                    array.dtype().name().toLowerCase(java.util.Locale.ROOT),
                    array.shapeText(),
                    ByteCounts.format(array.byteLength()));
        }
    }
}
