package io.kho4j.handover;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.abi.Compatibility;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.abi.RootLayout;
import io.kho4j.preserve.PageSize;
import io.kho4j.scratch.ScratchRules;
import io.kho4j.spi.WriteContext;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The two kernels of a handover and the machine facts both share: the release handing over, the successor's
 * release, the ABI generation written, the page size and the architecture. Everything the kernels do
 * differently by release (root layout, scratch rules, node splitting, the 7.3 rules) follows from here.
 *
 * @param from the kernel that hands over
 * @param to the successor kernel
 * @param generation the generation written and expected
 * @param pageSize PAGE_SIZE of both kernels
 * @param arch the architecture, which decides the hand-off
 */
public record HandoverTarget(KernelRelease from, KernelRelease to, AbiGeneration generation, PageSize pageSize,
        Arch arch) {

    /** "kho: make sure preservations do not span multiple NUMA nodes", in by 7.1 (kho-abi.md §9.5). */
    private static final KernelRelease NODE_SPLIT_FROM = KernelRelease.rc(7, 1, 1);
    /** "kho: extend scratch" and the preserve-what-you-read rule: 7.3 (kho-abi.md §9.5). */
    private static final KernelRelease EXTENDED_SCRATCH_FROM = KernelRelease.rc(7, 3, 1);

    /** Checks for nulls. */
    public HandoverTarget {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(pageSize, "pageSize");
        Objects.requireNonNull(arch, "arch");
    }

    /**
     * A handover between two releases; the generation is the one {@code from} writes.
     *
     * @param from the kernel that hands over
     * @param to the successor
     * @param pageSize PAGE_SIZE of both
     * @param arch the architecture
     * @return the target (which may still be incompatible: see {@link #compatibility()})
     * @throws GenerationException if either release maps to no single generation
     */
    public static HandoverTarget releases(KernelRelease from, KernelRelease to, PageSize pageSize, Arch arch)
            throws GenerationException {
        AbiGeneration.forKernelRelease(to);
        return new HandoverTarget(from, to, AbiGeneration.forKernelRelease(from), pageSize, arch);
    }

    /**
     * A handover of one generation between two kernels of its {@linkplain #representativeRelease representative
     * release}.
     *
     * @param generation the generation
     * @param pageSize PAGE_SIZE
     * @param arch the architecture
     * @return the target
     */
    public static HandoverTarget generation(AbiGeneration generation, PageSize pageSize, Arch arch) {
        KernelRelease r = representativeRelease(generation);
        return new HandoverTarget(r, r, generation, pageSize, arch);
    }

    /**
     * @param generation a generation
     * @return a release that writes it: 6.16.0, 6.18.0, 7.1-rc1 (kho-v2 existed only in development trees of
     *     the 7.1 merge window, so its rules are those of 7.1-rc1), 7.1.0 and 7.4.0, the newest modelled
     */
    public static KernelRelease representativeRelease(AbiGeneration generation) {
        switch (generation) {
            case KHO_V1_BITMAP512:
                return KernelRelease.of(6, 16, 0);
            case KHO_V1_BITMAP_PAGE:
                return KernelRelease.of(6, 18, 0);
            case KHO_V2_RADIX:
                return KernelRelease.rc(7, 1, 1);
            case KHO_V3_BLOB_SIZE:
                return KernelRelease.of(7, 1, 0);
            default:
                return KernelRelease.of(7, 4, 0);
        }
    }

    /**
     * @return whether the successor keeps the state, and every reason it would not
     * @throws IllegalStateException if a release maps to no generation (not possible for targets made by the
     *     factories)
     */
    public Compatibility compatibility() {
        try {
            return AbiGeneration.compatible(from, pageSize.bytes(), to, pageSize.bytes());
        } catch (GenerationException e) {
            throw new IllegalStateException("target " + this + " names a release without a generation", e);
        }
    }

    /**
     * Refuses a target whose successor would lose the state. Call it before writing anything.
     *
     * @throws HandoverBuildException of kind {@link HandoverBuildException.Kind#INCOMPATIBLE_KERNELS} listing
     *     every reason
     */
    public void requireCompatible() throws HandoverBuildException {
        Compatibility c = compatibility();
        if (!c.keepsState()) {
            throw new HandoverBuildException(HandoverBuildException.Kind.INCOMPATIBLE_KERNELS, "a handover from "
                    + from + " to " + to + " would lose every preserved page; nothing was written", c.losses(), null);
        }
    }

    /** @return the generation, little-endian byte order and page size serializers write for */
    public WriteContext context() {
        return new WriteContext(generation, ByteOrder.LITTLE_ENDIAN, pageSize.bytes());
    }

    /** @return the root layout {@code from} writes, or the generation's only layout if that differs */
    public RootLayout rootLayout() {
        RootLayout l = RootLayout.forKernelRelease(from);
        return generation.rootLayouts().contains(l) ? l : generation.rootLayouts().iterator().next();
    }

    /** @return the scratch rules of {@code from}, which reserves the areas at boot, for this page size */
    public ScratchRules scratchRules() {
        return ScratchRules.forKernelRelease(from).forPageSize(pageSize);
    }

    /** @return whether preservations are split at NUMA node boundaries (7.1+, kho-abi.md §9.5) */
    public boolean splitsAtNodes() {
        return !from.isBefore(NODE_SPLIT_FROM);
    }

    /**
     * @return whether the 7.3 producer rules apply (kho-abi.md §9.5): the successor frees every 1 GiB block
     *     without a preserved key or radix table early, so every page it reads, the root FDT page included, must
     *     be preserved
     */
    public boolean extendedScratch() {
        return !to.isBefore(EXTENDED_SCRATCH_FROM);
    }

    @Override
    public String toString() {
        return from + " -> " + to + " (" + generation + ", " + pageSize + ", " + arch + ")";
    }
}
