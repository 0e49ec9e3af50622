package io.kho4j.host;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link LinuxKhoHost} needs to know about the running kernel's KHO generation and release to read
 * and drive it. {@link #forRelease} derives them from the release, which is what a {@link LinuxKhoHost} does
 * unless {@link LinuxKhoHost.Builder#kernelFacts} says otherwise.
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

    /**
     * The facts of a release, from its generation ({@code AbiGeneration.forKernelRelease}) and the table above.
     *
     * @param release a release as {@code uname -r} prints it
     * @return its facts, or empty when the release maps to no single generation (too old, newer than modelled,
     *     malformed, or a vendor build of an ambiguous one)
     */
    public static Optional<KhoKernelFacts> forRelease(String release) {
        try {
            KernelRelease r = KernelRelease.parse(release);
            AbiGeneration g = AbiGeneration.forKernelRelease(r);
            return Optional.of(new KhoKernelFacts(g.name(), g.needsFinalize(), !r.isBefore(KernelRelease.rc(7, 4, 1)),
                    !r.isBefore(KernelRelease.rc(6, 19, 1))));
        } catch (GenerationException e) {
            return Optional.empty();
        }
    }

    /** @return the command-line parameter that sizes the scratch (bootmem) areas on this kernel */
    public String scratchParameter() {
        return bootmemNames ? KernelCommandLine.KHO_BOOTMEM : KernelCommandLine.KHO_SCRATCH;
    }
}
