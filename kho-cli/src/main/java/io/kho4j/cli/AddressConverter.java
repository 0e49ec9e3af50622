package io.kho4j.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses unsigned 64-bit addresses and sizes the way the kernel's {@code memparse} spells them: decimal
 * ({@code 4096}), hex ({@code 0x1000}), either with a binary suffix K, M, G, T, P or E ({@code 16M} =
 * 16 MiB; {@code KiB}/{@code MB} spellings are accepted too). Use on an option with
 * {@code @Option(names = "--base", converter = AddressConverter.class) long base;}. A bad value is a usage
 * error: picocli reports it with the option's name and kho exits with {@link ExitCodes#USAGE}.
 */
public final class AddressConverter implements ITypeConverter<Long> {
    private static final String SUFFIXES = "KMGTPE";

    @Override
    public Long convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * @param text the value as typed
     * @return the value as a long holding the unsigned 64 bits
     * @throws IllegalArgumentException naming the text if it is not a number or does not fit 64 bits
     */
    public static long parse(String text) {
        String s = text.trim();
        boolean hex = s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X');
        int radix = hex ? 16 : 10;
        int start = hex ? 2 : 0;
        int end = start;
        // As memparse: the longest number first, then the suffix, so 0x1E is hex and 0x10E is not 16 EiB.
        while (end < s.length() && s.charAt(end) < 0x80 && Character.digit(s.charAt(end), radix) >= 0) {
            end++;
        }
        if (end == start) {
            throw new IllegalArgumentException("'" + text + "' is not a number (examples: 4096, 0x1000, 16M)");
        }
        long n;
        try {
            n = Long.parseUnsignedLong(s.substring(start, end), radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' does not fit in 64 bits");
        }
        String suffix = s.substring(end).toUpperCase(Locale.ROOT);
        if (suffix.isEmpty()) {
            return n;
        }
        int k = SUFFIXES.indexOf(suffix.charAt(0));
        String tail = suffix.substring(1);
        if (k < 0 || !(tail.isEmpty() || tail.equals("B") || tail.equals("IB"))) {
            throw new IllegalArgumentException("'" + text + "' has an unknown suffix '" + s.substring(end)
                    + "' (K, M, G, T, P or E)");
        }
        int shift = 10 * (k + 1);
        if (Long.numberOfLeadingZeros(n) < shift) {
            throw new IllegalArgumentException("'" + text + "' does not fit in 64 bits");
        }
        return n << shift;
    }
}
