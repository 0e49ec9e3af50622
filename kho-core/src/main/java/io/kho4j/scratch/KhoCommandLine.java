package io.kho4j.scratch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The KHO early parameters of a kernel command line, applied the way the kernel applies early parameters:
 * arguments in order, names matched with {@code -} and {@code _} as equals ({@code parameq}), parsing stopped
 * at {@code --}, a rejected value reported and ignored ("Malformed early option") while earlier values stay.
 *
 * <p>{@code kho_scratch=} keeps the kernel's state: a percentage sets only the scale, explicit sizes set the
 * sizes and a scale of 0; the sizes used at boot are the scale if it is non-zero, else the explicit sizes.
 *
 * @param enabled the last valid {@code kho=} value, if any
 * @param sizes the resulting scratch sizes ({@link ScratchSizes#DEFAULT} if the parameter is absent)
 * @param problems one line per value the kernel would reject
 */
public record KhoCommandLine(Optional<Boolean> enabled, ScratchSizes sizes, List<String> problems) {
    /** Copies the problem list. */
    public KhoCommandLine {
        problems = List.copyOf(problems);
    }

    /**
     * @param cmdline a kernel command line
     * @param rules the release's parameter name and size syntax
     * @return the KHO parameters it sets
     */
    public static KhoCommandLine parse(String cmdline, ScratchRules rules) {
        Boolean enabled = null;
        long scale = ((ScratchSizes.Scale) ScratchSizes.DEFAULT).percent();
        long lowmem = 0;
        long global = 0;
        long perNode = 0;
        List<String> problems = new ArrayList<>();
        for (String[] arg : arguments(cmdline)) {
            String name = arg[0];
            String value = arg[1];
            if (value == null && name.equals("--")) {
                break;
            }
            try {
                if (sameName(name, "kho")) {
                    enabled = SizeParser.kstrtobool(value);
                } else if (sameName(name, rules.parameterName())) {
                    ScratchSizes s = ScratchSizes.parse(value, rules.sizeSyntax());
                    if (s instanceof ScratchSizes.Scale sc) {
                        scale = sc.percent();
                    } else if (s instanceof ScratchSizes.Explicit ex) {
                        lowmem = ex.lowmem();
                        global = ex.global();
                        perNode = ex.perNode();
                        scale = 0;
                    }
                }
            } catch (ScratchParameterException e) {
                problems.add("Malformed early option '" + name + "' (ignored): " + e.getMessage());
            }
        }
        ScratchSizes sizes = scale != 0 ? new ScratchSizes.Scale(scale)
                : new ScratchSizes.Explicit(lowmem, global, perNode);
        return new KhoCommandLine(Optional.ofNullable(enabled), sizes, problems);
    }

    /** {@code parameq}: dashes and underscores are the same character in parameter names. */
    private static boolean sameName(String a, String b) {
        return a.replace('-', '_').equals(b.replace('-', '_'));
    }

    /**
     * Splits like {@code next_arg} (lib/cmdline.c): whitespace separates arguments except inside double quotes,
     * a leading quote on the argument or on its value is removed together with a trailing quote.
     *
     * @return {name, value} pairs; value is null when there is no {@code =}
     */
    static List<String[]> arguments(String cmdline) {
        List<String[]> out = new ArrayList<>();
        int i = 0;
        int n = cmdline.length();
        while (i < n) {
            while (i < n && isSpace(cmdline.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            boolean quoted = cmdline.charAt(i) == '"';
            int start = quoted ? i + 1 : i;
            boolean inQuote = quoted;
            int equals = -1;
            int j = start;
            for (; j < n; j++) {
                char c = cmdline.charAt(j);
                if (isSpace(c) && !inQuote) {
                    break;
                }
                if (equals < 0 && c == '=') {
                    equals = j;
                }
                if (c == '"') {
                    inQuote = !inQuote;
                }
            }
            String token = cmdline.substring(start, j);
            i = j;
            String name;
            String value;
            if (equals < 0) {
                name = stripTrailingQuote(token, quoted);
                value = null;
            } else {
                name = cmdline.substring(start, equals);
                value = cmdline.substring(equals + 1, j);
                if (value.startsWith("\"")) {
                    value = stripTrailingQuote(value.substring(1), true);
                } else {
                    value = stripTrailingQuote(value, quoted);
                }
            }
            out.add(new String[] {name, value});
        }
        return out;
    }

    /**
     * The kernel's {@code isspace} on ASCII (space, \t, \n, \v, \f, \r); {@link Character#isWhitespace} also
     * takes U+001C..U+001F and Unicode spaces, which the kernel keeps inside an argument.
     */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static String stripTrailingQuote(String s, boolean quoted) {
        return quoted && s.endsWith("\"") ? s.substring(0, s.length() - 1) : s;
    }
}
