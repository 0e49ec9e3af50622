package io.kho4j.scratch;

import io.kho4j.host.KernelCommandLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The KHO early parameters of a kernel command line, applied the way the kernel applies early parameters:
 * arguments in order as {@link KernelCommandLine} splits them (names matched with {@code -} and {@code _} as
 * equals, parsing stopped at {@code --}), a rejected value reported and ignored ("Malformed early option")
 * while earlier values stay.
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
     * @param rules the release's parameter name, size syntax and {@code kstrtobool} forms
     * @return the KHO parameters it sets
     */
    public static KhoCommandLine parse(String cmdline, ScratchRules rules) {
        Boolean enabled = null;
        long scale = ((ScratchSizes.Scale) ScratchSizes.DEFAULT).percent();
        long lowmem = 0;
        long global = 0;
        long perNode = 0;
        List<String> problems = new ArrayList<>();
        for (KernelCommandLine.Parameter arg : KernelCommandLine.parse(cmdline).parameters()) {
            String name = arg.name();
            String value = arg.value().orElse(null);
            try {
                if (name.equals(KernelCommandLine.KHO)) {
                    enabled = rules.kstrtobool().parse(value).orElseThrow(() -> new ScratchParameterException(
                            value == null ? "kho needs a value such as kho=on"
                                    : "'" + value + "' is not a boolean (kstrtobool, " + rules.kstrtobool() + ")"));
                } else if (name.equals(rules.parameterName())) {
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
}
