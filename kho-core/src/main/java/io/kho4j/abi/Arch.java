package io.kho4j.abi;

import java.util.Locale;

/**
 * The architectures with KHO wiring ({@code ARCH_SUPPORTS_KEXEC_HANDOVER}: x86 and arm64, kho-abi.md §8) and how
 * each tells the successor where the handover is (kho-abi.md §3).
 */
public enum Arch {
    /** x86-64: a {@code SETUP_KEXEC_KHO} node in the boot_params {@code setup_data} chain. */
    X86_64("x86-64"),
    /** arm64: {@code /chosen} {@code linux,kho-fdt} and {@code linux,kho-scratch} in the boot DTB. */
    ARM64("arm64");

    private final String cliName;

    Arch(String cliName) {
        this.cliName = cliName;
    }

    /** @return {@code x86-64} or {@code arm64} */
    public String cliName() {
        return cliName;
    }

    /**
     * @param text {@code x86-64}, {@code x86_64}, {@code amd64}, {@code arm64} or {@code aarch64}, any case
     * @return the architecture
     * @throws IllegalArgumentException for any other name
     */
    public static Arch parse(String text) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "x86-64":
            case "x86_64":
            case "amd64":
                return X86_64;
            case "arm64":
            case "aarch64":
                return ARM64;
            default:
                throw new IllegalArgumentException("\"" + text + "\" is not an architecture with KHO; expected x86-64"
                        + " or arm64");
        }
    }

    @Override
    public String toString() {
        return cliName;
    }
}
