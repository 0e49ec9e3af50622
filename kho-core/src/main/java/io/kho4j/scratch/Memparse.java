package io.kho4j.scratch;

/**
 * The kernel's {@code memparse} (lib/cmdline.c): a C integer ({@code 0x} hex, a leading {@code 0} octal, else
 * decimal, via {@code simple_strtoull} with base 0) followed by an optional K, M, G, T, P or E suffix in either
 * case. It stops at the first character it cannot use and reports where, as {@code kho_scratch=} and
 * {@code reserve_mem=} rely on (kho-abi.md §3, §6). Unlike the kernel, which wraps silently, a value beyond 64 bits
 * is an error.
 */
public final class Memparse {
    private Memparse() {
    }

    /**
     * What was parsed.
     *
     * @param value the number, suffix applied (unsigned)
     * @param end index of the first character not consumed
     */
    public record Result(long value, int end) {
    }

    /**
     * @param s the text
     * @param from where the number starts
     * @return the value and where parsing stopped (at {@code from} if there was no digit)
     * @throws ScratchParameterException if the value does not fit 64 bits
     */
    public static Result parse(String s, int from) throws ScratchParameterException {
        int at = from;
        int base = 10;
        if (charAt(s, at) == '0') {
            base = Character.toLowerCase(charAt(s, at + 1)) == 'x' && isHex(charAt(s, at + 2)) ? 16 : 8;
            if (base == 16) {
                at += 2;
            }
        }
        long value = 0;
        for (int digit; (digit = digit(charAt(s, at))) >= 0 && digit < base; at++) {
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, base)) > 0) {
                throw new ScratchParameterException("'" + s + "': number at position " + from + " overflows 64 bits");
            }
            value = value * base + digit;
        }
        int shift = switch (Character.toUpperCase(charAt(s, at))) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            case 'P' -> 50;
            case 'E' -> 60;
            default -> 0;
        };
        if (shift > 0) {
            if (value != 0 && Long.numberOfLeadingZeros(value) < shift) {
                throw new ScratchParameterException("'" + s + "': size at position " + from + " overflows 64 bits");
            }
            value <<= shift;
            at++;
        }
        return new Result(value, at);
    }

    private static char charAt(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static boolean isHex(char c) {
        return digit(c) >= 0 && digit(c) < 16;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char l = Character.toLowerCase(c);
        return l >= 'a' && l <= 'z' ? l - 'a' + 10 : -1;
    }
}
