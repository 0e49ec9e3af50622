package io.kho4j.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A kernel command line ({@code /proc/cmdline}) split the way the kernel's {@code parse_args} (kernel/params.c)
 * over {@code next_arg} (lib/cmdline.c) splits it; kho4j's only command-line splitter ({@code KhoCommandLine}
 * and {@code ReserveMemRequest} read its parameters). Whitespace separates parameters except inside double
 * quotes, quotes around a value are dropped, {@code -} and {@code _} in names are the same character, and a
 * bare {@code --} ends the kernel's parameters (what follows goes to init). When a parameter repeats, the last one wins, as for the
 * early parameters KHO uses ({@code kho=}, {@code kho_scratch=}, {@code kho_bootmem=}; kho-abi.md §3, §9.4).
 */
public final class KernelCommandLine {
    /** {@code kho=}: {@code early_param("kho", kstrtobool)} (kho-abi.md §3). */
    public static final String KHO = "kho";
    /** {@code kho_scratch=}: scratch sizes up to 7.3 (kho-abi.md §3). */
    public static final String KHO_SCRATCH = "kho_scratch";
    /** {@code kho_bootmem=}: the same sizes from 7.4 on (kho-abi.md §9.4). */
    public static final String KHO_BOOTMEM = "kho_bootmem";

    /**
     * One parameter.
     *
     * @param name the name with every {@code -} turned into {@code _}
     * @param value the text after the first {@code =}, unquoted; empty if there was no {@code =}
     */
    public record Parameter(String name, Optional<String> value) {
    }

    private final List<Parameter> parameters;

    private KernelCommandLine(List<Parameter> parameters) {
        this.parameters = Collections.unmodifiableList(parameters);
    }

    /** @param text the command line, for example the contents of {@code /proc/cmdline} @return it parsed */
    public static KernelCommandLine parse(String text) {
        List<Parameter> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            boolean inQuote = false;
            int equals = -1;
            for (; i < n; i++) {
                char c = text.charAt(i);
                if (isSpace(c) && !inQuote) {
                    break;
                }
                if (equals < 0 && c == '=') {
                    equals = i;
                }
                if (c == '"') {
                    inQuote = !inQuote;
                }
            }
            String arg = text.substring(start, i);
            // parse_args compares the name after next_arg dropped its quotes: "--" ends the parameters too.
            boolean quoted = arg.startsWith("\"");
            if (equals < 0 && stripClosingQuote(quoted ? arg.substring(1) : arg, quoted).equals("--")) {
                break;
            }
            out.add(parameter(arg, equals < 0 ? -1 : equals - start));
        }
        return new KernelCommandLine(out);
    }

    /** Mirrors next_arg: a leading quote on the whole argument or on the value is dropped with its partner. */
    private static Parameter parameter(String arg, int equals) {
        boolean quoted = arg.startsWith("\"");
        String body = quoted ? arg.substring(1) : arg;
        int eq = equals < 0 ? -1 : quoted ? equals - 1 : equals;
        if (eq < 0) {
            return new Parameter(normalize(stripClosingQuote(body, quoted)), Optional.empty());
        }
        String value = body.substring(eq + 1);
        boolean valueQuoted = value.startsWith("\"");
        if (valueQuoted) {
            value = value.substring(1);
        }
        return new Parameter(normalize(body.substring(0, eq)),
                Optional.of(stripClosingQuote(value, valueQuoted || quoted)));
    }

    private static String stripClosingQuote(String s, boolean quoted) {
        return quoted && s.endsWith("\"") ? s.substring(0, s.length() - 1) : s;
    }

    /** kernel/params.c {@code dash2underscore}: names compare with '-' and '_' equal. */
    private static String normalize(String name) {
        return name.replace('-', '_');
    }

    /** The kernel's {@code isspace} on the ASCII range: space, \t, \n, \v, \f, \r. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** @return the parameters before any {@code --}, in order */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * @param name a parameter name ({@code -} and {@code _} are the same)
     * @return the last occurrence, or empty if the name does not appear
     */
    public Optional<Parameter> last(String name) {
        String key = normalize(name);
        for (int i = parameters.size() - 1; i >= 0; i--) {
            if (parameters.get(i).name().equals(key)) {
                return Optional.of(parameters.get(i));
            }
        }
        return Optional.empty();
    }

    /** @param name a parameter name @return the last occurrence's value; empty if absent or given without {@code =} */
    public Optional<String> value(String name) {
        return last(name).flatMap(Parameter::value);
    }

    /**
     * @param forms the {@code kstrtobool} of the kernel that boots with this command line
     * @return what {@code kho=} sets: empty if absent or not a boolean those forms accept (the kernel then keeps
     *     its built-in default)
     */
    public Optional<Boolean> kho(Kstrtobool forms) {
        return value(KHO).flatMap(forms::parse);
    }

    @Override
    public String toString() {
        return parameters.toString();
    }
}
