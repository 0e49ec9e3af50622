package io.kho4j.host;

import java.util.Objects;

/**
 * What a {@link LinuxKhoHost} needs to know about the running kernel's KHO generation and release to read
 * and drive it. These come from the kernel release, not from this class: the caller maps the release to its
 * {@code io.kho4j.abi.AbiGeneration} and fills these in (see {@link LinuxKhoHost.Builder#kernelFacts}).
 * Without them the host still works from what it finds on disk, but cannot say what is missing.
 *
 * <p>The facts per release (kho-abi.md §3, §4, §9.1, §9.4):
 * <pre>
 * release        finalizeRequired  bootmemNames  liveUpdate
 * 6.16 – 6.18    true              false         false
 * 6.19 – 7.0     true              false         true
 * 7.1 – 7.3      false             false         true
 * 7.4+           false             true          true
 * </pre>
 *
 * @param generation the generation's name, for messages ({@code KHO_V1_BITMAP_PAGE})
 * @param finalizeRequired {@code kho/out/finalize} exists and must be written before loading (6.16 – 7.0)
 * @param bootmemNames debugfs {@code bootmem_phys/len} and command line {@code kho_bootmem=} instead of the
 *     {@code scratch} names (7.4+)
 * @param liveUpdate {@code /dev/liveupdate} is part of this kernel when built with CONFIG_LIVEUPDATE (6.19+)
 */
public record KhoKernelFacts(String generation, boolean finalizeRequired, boolean bootmemNames, boolean liveUpdate) {
    /** @throws NullPointerException if generation is null */
    public KhoKernelFacts {
        Objects.requireNonNull(generation, "generation");
    }

    /** @return the command-line parameter that sizes the scratch (bootmem) areas on this kernel */
    public String scratchParameter() {
        return bootmemNames ? KernelCommandLine.KHO_BOOTMEM : KernelCommandLine.KHO_SCRATCH;
    }
}
