package io.veles.cli.report;

import java.lang.reflect.Array;

/**
 * A histogram of one numeric array at one snapshot: equal-width bins over the array's finite range.
 * NaN and infinite elements are counted apart, not binned.
 *
 * @param snapshot the snapshot's name
 * @param index    the snapshot's position in the run, oldest first
 */
record Histogram(String snapshot, int index, double min, double max, long[] counts, long nonFinite) {
    static final int BINS = 40;

    /** Bins {@code array}: one scan for its range, one to count (both over the array already in memory). */
    static Histogram of(String snapshot, int index, Object array) {
        int n = Array.getLength(array);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long nonFinite = 0;
        for (int i = 0; i < n; i++) {
            double v = NumericFields.at(array, i);
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            } else {
                nonFinite++;
            }
        }
        long[] counts = new long[BINS];
        if (nonFinite == n) {
            return new Histogram(snapshot, index, 0, 0, counts, nonFinite);
        }
        double width = (max - min) / BINS;
        for (int i = 0; i < n; i++) {
            double v = NumericFields.at(array, i);
            if (Double.isFinite(v)) {
                int bin = width == 0 ? BINS / 2 : (int) Math.min(BINS - 1, Math.floor((v - min) / width));
                counts[bin]++;
            }
        }
        return new Histogram(snapshot, index, min, max, counts, nonFinite);
    }
}
