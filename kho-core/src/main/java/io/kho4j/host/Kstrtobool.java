package io.kho4j.host;

import io.kho4j.abi.KernelRelease;
import java.util.Optional;

/**
 * The kernel's {@code kstrtobool} (lib/kstrtox.c), which {@code kho=} goes through
 * ({@code early_param("kho", ...)}, kho-abi.md §3). It looks at the first character only, and at the second one
 * after an {@code o}; everything after that is ignored ({@code kho=yesterday} is true). Which first characters it
 * takes depends on the release, so every caller names the release's forms.
 *
 * <p>History, read in torvalds/linux lib/kstrtox.c and the patches that changed it (reference only): the function
 * took {@code Yy1Nn0} and {@code [oO][NnFf]} when it replaced {@code strtobool} (4.6); {@code Tt}/{@code Ff}
 * ("true"/"false") were added in 2022, long before KHO; {@code Ee}/{@code Dd} ("enabled"/"disabled") were added by
 * ae5b3500856f "kstrtox: add support for enabled and disabled in kstrtobool()", which was in linux-next during the
 * 6.16 cycle and reached the mainline with 6.17-rc1 (its docstring was fixed later by 1921044eebf1). KHO itself
 * starts at 6.16, so only two form sets matter here.
 */
public enum Kstrtobool {
    /** 6.16: true for {@code y Y t T 1} and {@code on}, false for {@code n N f F 0} and {@code off}. */
    V6_16(false),
    /** 6.17 and later: also {@code e E} (enabled) true and {@code d D} (disabled) false. */
    V6_17(true);

    private static final KernelRelease ENABLED_DISABLED_FROM = KernelRelease.rc(6, 17, 1);

    private final boolean enabledDisabled;

    Kstrtobool(boolean enabledDisabled) {
        this.enabledDisabled = enabledDisabled;
    }

    /**
     * @param release the kernel that parses the command line
     * @return the forms it accepts ({@link #V6_16} for anything before 6.17-rc1)
     */
    public static Kstrtobool forKernelRelease(KernelRelease release) {
        return release.isBefore(ENABLED_DISABLED_FROM) ? V6_16 : V6_17;
    }

    /**
     * @param s the text after {@code kho=}; null stands for a parameter given without {@code =}
     * @return the value the kernel stores, or empty where it returns {@code -EINVAL} and keeps its default
     */
    public Optional<Boolean> parse(String s) {
        if (s == null || s.isEmpty()) {
            return Optional.empty();
        }
        char first = s.charAt(0);
        switch (first) {
            case 'y', 'Y', 't', 'T', '1':
                return Optional.of(true);
            case 'n', 'N', 'f', 'F', '0':
                return Optional.of(false);
            case 'e', 'E':
                return enabledDisabled ? Optional.of(true) : Optional.empty();
            case 'd', 'D':
                return enabledDisabled ? Optional.of(false) : Optional.empty();
            case 'o', 'O':
                char second = s.length() > 1 ? s.charAt(1) : 0;
                if (second == 'n' || second == 'N') {
                    return Optional.of(true);
                }
                return second == 'f' || second == 'F' ? Optional.of(false) : Optional.empty();
            default:
                return Optional.empty();
        }
    }
}
