package io.kho4j.gic.internal;

/**
 * Architecture and kernel constants of GICv3 LPI and ITS tables and of the EFI memreserve list, each with the
 * upstream file it was read from (kho-abi.md §6 "GIC ITS across kexec"; torvalds/linux, reference only).
 */
public final class GicConstants {
    /** {@code SZ_4K}. */
    public static final long SZ_4K = 4096;
    /** {@code SZ_64K}: pending-table alignment and the kernel's LPI table rounding. */
    public static final long SZ_64K = 65536;

    /** {@code GICR_PROPBASER_ADDRESS(x)} keeps bits 51:12 (include/linux/irqchip/arm-gic-v3.h): 4 KiB aligned. */
    public static final long PROPBASER_ALIGNMENT = SZ_4K;
    /** {@code GICR_PENDBASER_ADDRESS(x)} keeps bits 51:16 (include/linux/irqchip/arm-gic-v3.h): 64 KiB aligned. */
    public static final long PENDBASER_ALIGNMENT = SZ_64K;
    /** Both address masks end at bit 51 (include/linux/irqchip/arm-gic-v3.h): 52-bit physical addresses. */
    public static final long PHYS_LIMIT = 1L << 52;

    /** LPI INTIDs start at 8192 = 2^13 (the 8192 SGI/PPI/SPI bits of LPI_PENDBASE_SZ's comment): 14 id bits at least. */
    public static final int MIN_LPI_ID_BITS = 14;
    /** {@code GICD_TYPER_ID_BITS(typer)} is a 5-bit field plus one (include/linux/irqchip/arm-gic-v3.h): at most 32. */
    public static final int MAX_LPI_ID_BITS = 32;

    /** {@code GITS_BASER_NR_REGS} (include/linux/irqchip/arm-gic-v3.h). */
    public static final int GITS_BASER_NR_REGS = 8;
    /** {@code GITS_BASER_PAGES_MAX}: the Size field counts 1..256 ITS pages (include/linux/irqchip/arm-gic-v3.h). */
    public static final int GITS_BASER_PAGES_MAX = 256;
    /** {@code GITS_BASER_ENTRY_SIZE(r)}: a 5-bit field plus one, so 1..32 bytes (include/linux/irqchip/arm-gic-v3.h). */
    public static final int GITS_BASER_MAX_ENTRY_SIZE = 32;
    /** {@code GITS_LVL1_ENTRY_SIZE}: level-1 entries of an indirect table (include/linux/irqchip/arm-gic-v3.h). */
    public static final int GITS_LVL1_ENTRY_SIZE = 8;

    /**
     * {@code struct linux_efi_memreserve} (include/linux/efi.h, kho-abi.md §6) on x86-64/arm64: {@code int size} at 0,
     * {@code atomic_t count} at 4, {@code phys_addr_t next} at 8, {@code entry[]} of {@code {base, size}} from 16.
     */
    public static final int MEMRESERVE_SIZE_OFFSET = 0;
    /** Offset of {@code count}. */
    public static final int MEMRESERVE_COUNT_OFFSET = 4;
    /** Offset of {@code next}. */
    public static final int MEMRESERVE_NEXT_OFFSET = 8;
    /** {@code sizeof(struct linux_efi_memreserve)}: the header before {@code entry[]}. */
    public static final int MEMRESERVE_HEADER_BYTES = 16;
    /** {@code sizeof_field(struct linux_efi_memreserve, entry[0])}. */
    public static final int MEMRESERVE_ENTRY_BYTES = 16;
    /**
     * efi_mem_reserve_persistent() (drivers/firmware/efi/efi.c) allocates one page per block but sizes it with
     * {@code EFI_MEMRESERVE_COUNT(SZ_4K)} so that a 4 KiB-page successor can map it.
     */
    public static final int MEMRESERVE_BLOCK_BYTES = 4096;

    private GicConstants() {
    }

    /**
     * @param value a non-negative value
     * @param alignment a power of two
     * @return {@code ALIGN(value, alignment)}
     */
    public static long alignUp(long value, long alignment) {
        return Math.addExact(value, alignment - 1) & -alignment;
    }
}
