package io.kho4j.memory;

/**
 * One folio of a preserved memfd ({@code struct memfd_luo_folio_ser}: {@code u64 pfn:52; u64 flags:12; u64 index;},
 * kho-abi.md §4). The folio's size is not in that struct: the successor learns it from the preserved-memory map; this
 * library derives it from the next folio's index, which is exact because the kernel pins every page of the file
 * ("holes in the file are filled by allocating pages for them during preservation", mm/memfd_luo.c).
 *
 * @param phys physical address of the folio, aligned to its size
 * @param order the folio's page order
 * @param index its page offset in the file ({@code pgoff_t})
 * @param flags {@link #DIRTY} and/or {@link #UPTODATE}; the other bits of the 12-bit field must be 0
 */
public record MemfdFolio(long phys, int order, long index, int flags) {
    /** {@code MEMFD_LUO_FOLIO_DIRTY}: the folio holds data from userspace. */
    public static final int DIRTY = 1;
    /** {@code MEMFD_LUO_FOLIO_UPTODATE}: the folio has been zeroed or written. */
    public static final int UPTODATE = 2;

    /** @throws IllegalArgumentException for unknown flags, a negative index or order, or a pfn beyond 52 bits */
    public MemfdFolio {
        if ((flags & ~(DIRTY | UPTODATE)) != 0 || index < 0 || order < 0 || order > 30 || phys <= 0) {
            throw new IllegalArgumentException(String.format("memfd folio phys=0x%x order=%d index=%d flags=0x%x",
                    phys, order, index, flags));
        }
    }
}
