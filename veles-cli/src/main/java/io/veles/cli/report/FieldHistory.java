package io.veles.cli.report;

import io.veles.snapshot.SnapshotDiff;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * One numeric array field over the run: its histograms at chosen snapshots, and how much it moved
 * from each snapshot to the next, with the statistics {@code veles snapshot diff} reports.
 */
final class FieldHistory {
    /** One step's change against the previous snapshot. */
    record Change(int index, double averageRelative, double average, double maximum) {}

    final String name;
    int length;
    String type;
    final List<Histogram> histograms = new ArrayList<>();
    final List<Change> changes = new ArrayList<>();

    FieldHistory(String name) {
        this.name = name;
    }

    /** Records the field as snapshot {@code index} holds it; {@code previous} is its value one snapshot before, or null. */
    void record(int index, String snapshot, Object array, Object previous, boolean histogram) {
        length = Array.getLength(array);
        type = array.getClass().getComponentType().getName();
        if (histogram) {
            histograms.add(Histogram.of(snapshot, index, array));
        }
        if (previous != null && Array.getLength(previous) == length) {
            SnapshotDiff.Difference d = SnapshotDiff.compareArrays("", name, previous, array);
            changes.add(new Change(index, d.averageRelative(), d.average(), d.maximum()));
        }
    }
}
