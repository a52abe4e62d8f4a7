package io.veles.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** Reads a byte count as a user types it: {@code 1048576}, {@code 512K}, {@code 256M}, {@code 4G}. */
final class ByteSizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String text = value.trim().toUpperCase(Locale.ROOT);
        int shift = 0;
        if (text.endsWith("B")) {
            text = text.substring(0, text.length() - 1);
        }
        if (!text.isEmpty()) {
            switch (text.charAt(text.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = -1;
            }
            if (shift >= 0) {
                text = text.substring(0, text.length() - 1);
            } else {
                shift = 0;
            }
        }
        try {
            long count = Long.parseLong(text);
            if (count <= 0 || count > (Long.MAX_VALUE >> shift)) {
                throw new TypeConversionException("'" + value + "' is not a positive byte count");
            }
            return count << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException(
                    "'" + value + "' is not a byte count (examples: 1048576, 512K, 256M, 4G)");
        }
    }
}
