package io.kho4j.internal.jna;

import java.util.Optional;

/**
 * Numbers of the system calls glibc has no wrapper for (or whose wrapper hides arguments we want to show),
 * per architecture. KHO is wired on x86-64 and arm64 only (kho-abi.md §8), so those are the two we know.
 *
 * @param arch the JNA architecture name ({@code com.sun.jna.Platform.ARCH})
 * @param kexecFileLoad {@code __NR_kexec_file_load}
 * @param reboot {@code __NR_reboot}
 */
public record SyscallNumbers(String arch, long kexecFileLoad, long reboot) {
    /** arch/x86/entry/syscalls/syscall_64.tbl: "320 common kexec_file_load", "169 common reboot". */
    public static final SyscallNumbers X86_64 = new SyscallNumbers("x86-64", 320, 169);
    /**
     * include/uapi/asm-generic/unistd.h (arm64 uses the generic table): {@code __NR_kexec_file_load 294},
     * {@code __NR_reboot 142}.
     */
    public static final SyscallNumbers AARCH64 = new SyscallNumbers("aarch64", 294, 142);

    /** @param jnaArch {@code Platform.ARCH} @return the numbers, or empty for an architecture without KHO */
    public static Optional<SyscallNumbers> forArch(String jnaArch) {
        if (X86_64.arch.equals(jnaArch)) {
            return Optional.of(X86_64);
        }
        if (AARCH64.arch.equals(jnaArch)) {
            return Optional.of(AARCH64);
        }
        return Optional.empty();
    }
}
