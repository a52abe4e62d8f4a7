package io.veles.internal.util;

import java.nio.charset.StandardCharsets;

/**
 * Names of exported arrays, which become zip entries (npz), file names (npy) and the keys of a
 * safetensors header. They come from a snapshot or a pickle, so anything may be in them.
 */
public final class ArrayNames {
    /**
     * The most UTF-8 bytes a name keeps: a file name of 255 bytes with room for ".npy" and a
     * "#n" that tells apart names equal once shortened.
     */
    static final int MAX_BYTES = 200;

    private ArrayNames() {}

    /**
     * {@code part} of a name made safe: path separators, control characters (those
     * {@link Printable#isControl} names, bidirectional ones too) and unpaired UTF-16 surrogates
     * become {@code _}. An unpaired surrogate has no UTF-8: two names differing only there became
     * one key once encoded, and a safetensors reader kept one of their arrays. Empty becomes
     * {@code _}.
     */
    public static String safe(String part) {
        StringBuilder out = new StringBuilder(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < part.length() && Character.isLowSurrogate(part.charAt(i + 1))) {
                out.append(c).append(part.charAt(++i));
            } else {
                boolean unsafe = c == '/' || c == '\\' || Printable.isControl(c) || Character.isSurrogate(c);
                out.append(unsafe ? '_' : c);
            }
        }
        return out.length() == 0 ? "_" : out.toString();
    }

    /**
     * {@code name} itself when its UTF-8 fits {@link #MAX_BYTES}, else its start and a hash of the
     * whole: a zip entry name of more than 65,535 bytes failed the export ("entry name too long")
     * and a file name of more than 255 bytes the npy one. Callers still make names unique.
     */
    public static String bounded(String name) {
        // UTF-8 takes at least a byte a char and at most three: encode only a name that may fit
        if (name.length() * 3 <= MAX_BYTES
                || name.length() <= MAX_BYTES && name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return name;
        }
        String suffix = "~" + Integer.toHexString(name.hashCode());
        int budget = MAX_BYTES - suffix.length();
        int end = 0;
        int bytes = 0;
        while (end < name.length()) {
            int codePoint = name.codePointAt(end);
            int width = codePoint < 0x80
                    ? 1
                    : codePoint < 0x800 || Character.isSurrogate((char) codePoint) ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + width > budget) {
                break;
            }
            bytes += width;
            end += Character.charCount(codePoint);
        }
        return name.substring(0, end) + suffix;
    }
}
