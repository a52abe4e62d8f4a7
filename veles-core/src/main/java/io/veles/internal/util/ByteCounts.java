package io.veles.internal.util;

import java.util.Locale;

/** Byte counts for people: {@code 812.3 KiB}. */
public final class ByteCounts {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private ByteCounts() {}

    public static String format(long count) {
        if (count < 1024) {
            return count + " B";
        }
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
