package io.kho4j.scratch;

/**
 * The kernel's string-to-number helpers as the scratch parameters use them: {@code memparse}
 * (lib/cmdline.c over {@code simple_strtoull} with base 0), and {@code kstrtouint}
 * ({@code kstrtobool} is {@link io.kho4j.host.Kstrtobool}).
 */
final class SizeParser {
    /** {@code unsigned int} maximum is 4,294,967,295, 10 chars: the kernel's buffer bound for {@code nn%}. */
    private static final int MAX_PERCENT_CHARS = 11;

    private SizeParser() {
    }

    static ScratchSizes parseScratch(String p, ScratchRules.SizeSyntax syntax) throws ScratchParameterException {
        if (p == null || p.isEmpty()) {
            throw new ScratchParameterException("empty value");
        }
        if (p.charAt(p.length() - 1) == '%') {
            if (p.length() > MAX_PERCENT_CHARS) {
                throw new ScratchParameterException("'" + p + "': a percentage has at most 10 digits");
            }
            return new ScratchSizes.Scale(kstrtouint(p.substring(0, p.length() - 1), p));
        }
        long[] sizes = new long[3];
        int at = 0;
        long total = 0;
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                if (at >= p.length() || p.charAt(at) != ',') {
                    throw new ScratchParameterException("'" + p + "': expected ',' at position " + at);
                }
                at++;
            }
            int[] end = new int[1];
            sizes[i] = memparse(p, at, end);
            if (end[0] == at) {
                throw new ScratchParameterException("'" + p + "': size " + (i + 1) + " at position " + at + " is missing");
            }
            if (syntax == ScratchRules.SizeSyntax.V6_16 && sizes[i] == 0) {
                throw new ScratchParameterException("'" + p + "': size " + (i + 1) + " is zero, which 6.16 rejects");
            }
            at = end[0];
            total += sizes[i];
        }
        if (syntax == ScratchRules.SizeSyntax.LATER) {
            if (total == 0) {
                throw new ScratchParameterException("'" + p + "': all three sizes are zero");
            }
            if (at != p.length()) {
                throw new ScratchParameterException("'" + p + "': unexpected '" + p.substring(at) + "' after the sizes");
            }
        }
        return new ScratchSizes.Explicit(sizes[0], sizes[1], sizes[2]);
    }

    /** {@code memparse(s + from, &end)}: returns the value and stores the end index in {@code end[0]}. */
    static long memparse(String s, int from, int[] end) throws ScratchParameterException {
        Memparse.Result r = Memparse.parse(s, from);
        end[0] = r.end();
        return r.value();
    }

    /** {@code kstrtouint(s, 10, &v)}: optional '+', decimal digits, optional trailing newline. */
    static long kstrtouint(String s, String whole) throws ScratchParameterException {
        int at = s.startsWith("+") ? 1 : 0;
        int start = at;
        long value = 0;
        for (; at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9'; at++) {
            value = value * 10 + (s.charAt(at) - '0');
            if (value > 0xffffffffL) {
                throw new ScratchParameterException("'" + whole + "': percentage exceeds an unsigned int (-ERANGE)");
            }
        }
        if (at == start) {
            throw new ScratchParameterException("'" + whole + "': no digits before '%'");
        }
        if (at < s.length() && s.charAt(at) == '\n') {
            at++;
        }
        if (at != s.length()) {
            throw new ScratchParameterException("'" + whole + "': '" + s.substring(at) + "' is not a decimal number");
        }
        return value;
    }
}
