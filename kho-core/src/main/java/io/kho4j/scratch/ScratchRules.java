package io.kho4j.scratch;

import io.kho4j.abi.KernelRelease;
import io.kho4j.host.Kstrtobool;
import io.kho4j.preserve.PageSize;
import java.util.Objects;

/**
 * How one kernel release parses and places scratch ("bootmem" from 7.4) areas: the parser and allocator rules
 * only. {@link #forKernelRelease} picks the preset of a release.
 *
 * @param label which kernels the rules describe, for reports
 * @param parameterName the early parameter: {@code kho_scratch} up to 7.3, {@code kho_bootmem} from 7.4
 *     (kho-abi.md §9.4; whether 7.4 still accepts {@code kho_scratch=} is NOT FOUND, so it is not accepted)
 * @param sizeSyntax how {@code l,g,n} sizes are checked
 * @param roundExplicitSizes whether explicit lowmem and global sizes are rounded up to the alignment: before
 *     7.1's "kho: make sure scratch size is always aligned by CMA_MIN_ALIGNMENT_BYTES" only the per-node size
 *     and the percentage form were (kho-abi.md §9.5)
 * @param skipMemorylessNodes whether nodes without memory get no area ({@code N_MEMORY}, 7.1); before, every
 *     online node needs one and a memoryless node makes the allocation, and so KHO, fail (kho-abi.md §3)
 * @param alignmentBasis what the alignment derives from
 * @param alignment alignment of every area's address and rounded size, in bytes
 */
public record ScratchRules(String label, String parameterName, SizeSyntax sizeSyntax, boolean roundExplicitSizes,
        boolean skipMemorylessNodes, AlignmentBasis alignmentBasis, long alignment) {

    /** How the {@code ll[KMG],mm[KMG],nn[KMG]} form is checked (kho-abi.md §3). */
    public enum SizeSyntax {
        /** 6.16: every component must be non-zero; text after the third size is ignored. */
        V6_16,
        /** Later (seen in 6.19 and 7.1 sources): zero components allowed if the total is not, and the string must be fully consumed. */
        LATER
    }

    /** What the area alignment is. */
    public enum AlignmentBasis {
        /** {@code CMA_MIN_ALIGNMENT_BYTES} = {@code PAGE_SIZE << pageblock_order}: 2 MiB on x86-64 (kho-abi.md §3). */
        PAGEBLOCK,
        /** {@code SCRATCH_ALIGNMENT_BYTES} = {@code PAGE_SIZE * MAX_ORDER_NR_PAGES}: 4 MiB, 7.3+ (kho-abi.md §9.5). */
        MAX_ORDER_BLOCK
    }

    private static final long MIB = 1L << 20;

    /** 6.16 (x86-64, 4 KiB pages). */
    public static final ScratchRules V6_16 = new ScratchRules("6.16", "kho_scratch", SizeSyntax.V6_16, false, false,
            AlignmentBasis.PAGEBLOCK, 2 * MIB);
    /** After 6.16 up to 7.0: zero components accepted, memoryless nodes still fail. */
    public static final ScratchRules LATER = new ScratchRules("6.17-7.0", "kho_scratch", SizeSyntax.LATER, false,
            false, AlignmentBasis.PAGEBLOCK, 2 * MIB);
    /** 7.1 and 7.2: every size rounded, memoryless nodes skipped. */
    public static final ScratchRules V7_1 = new ScratchRules("7.1-7.2", "kho_scratch", SizeSyntax.LATER, true, true,
            AlignmentBasis.PAGEBLOCK, 2 * MIB);
    /** 7.3: areas aligned to {@code PAGE_SIZE * MAX_ORDER_NR_PAGES}. */
    public static final ScratchRules V7_3 = new ScratchRules("7.3", "kho_scratch", SizeSyntax.LATER, true, true,
            AlignmentBasis.MAX_ORDER_BLOCK, 4 * MIB);
    /** 7.4: the parameter is {@code kho_bootmem=}. */
    public static final ScratchRules V7_4 = new ScratchRules("7.4", "kho_bootmem", SizeSyntax.LATER, true, true,
            AlignmentBasis.MAX_ORDER_BLOCK, 4 * MIB);

    /** @throws IllegalArgumentException if the alignment is not a power of two of at least 4 KiB */
    public ScratchRules {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(parameterName, "parameterName");
        Objects.requireNonNull(sizeSyntax, "sizeSyntax");
        Objects.requireNonNull(alignmentBasis, "alignmentBasis");
        if (alignment < 4096 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two >= 4096: " + alignment);
        }
    }

    /**
     * @param release the kernel that reserves the scratch areas at boot (the one handing over)
     * @return its preset, for 4 KiB pages: {@link #V6_16}, {@link #LATER} for 6.17 – 7.0, {@link #V7_1} for 7.1 –
     *     7.2, {@link #V7_3}, {@link #V7_4} and later
     */
    public static ScratchRules forKernelRelease(KernelRelease release) {
        if (release.isBefore(KernelRelease.rc(6, 17, 1))) {
            return V6_16;
        }
        if (release.isBefore(KernelRelease.rc(7, 1, 1))) {
            return LATER;
        }
        if (release.isBefore(KernelRelease.rc(7, 3, 1))) {
            return V7_1;
        }
        return release.isBefore(KernelRelease.rc(7, 4, 1)) ? V7_3 : V7_4;
    }

    /**
     * @return the {@code kho=} forms of the same kernels: {@link Kstrtobool#V6_16} with the 6.16 size syntax,
     *     {@link Kstrtobool#V6_17} (adds enabled/disabled) with the later one, because both changed with 6.17
     */
    public Kstrtobool kstrtobool() {
        return sizeSyntax == SizeSyntax.V6_16 ? Kstrtobool.V6_16 : Kstrtobool.V6_17;
    }

    /** @param bytes alignment in bytes @return a copy with that alignment */
    public ScratchRules withAlignment(long bytes) {
        return new ScratchRules(label, parameterName, sizeSyntax, roundExplicitSizes, skipMemorylessNodes,
                alignmentBasis, bytes);
    }

    /**
     * @param pageSize page size
     * @return a copy whose alignment is the default for that page size (derived: 2, 32, 512 MiB pageblocks;
     *     4, 32, 512 MiB max-order blocks for 4, 16, 64 KiB pages)
     */
    public ScratchRules forPageSize(PageSize pageSize) {
        int order = alignmentBasis == AlignmentBasis.PAGEBLOCK ? pageSize.defaultPageblockOrder()
                : pageSize.defaultMaxPageOrder();
        return withAlignment((long) pageSize.bytes() << order);
    }

    /**
     * @param name a preset label ({@code 6.16}, {@code later}, {@code 7.1}, {@code 7.3}, {@code 7.4}) or constant name
     * @return the preset
     * @throws IllegalArgumentException for an unknown name
     */
    public static ScratchRules parse(String name) {
        return switch (name.trim().toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_')) {
            case "V6_16", "6_16" -> V6_16;
            case "LATER", "6_17_7_0", "6_17", "6_18", "6_19", "7_0" -> LATER;
            case "V7_1", "7_1", "7_1_7_2", "7_2" -> V7_1;
            case "V7_3", "7_3" -> V7_3;
            case "V7_4", "7_4" -> V7_4;
            default -> throw new IllegalArgumentException(
                    "unknown scratch rules '" + name + "' (known: 6.16, later, 7.1, 7.3, 7.4)");
        };
    }
}
