package io.kho4j.preserve;

/**
 * One naturally aligned power-of-two block of preserved memory, as a kernel bitmap bit describes it:
 * {@code PAGE_SIZE << order} bytes at {@code phys}, with {@code phys} a multiple of that size (kho-abi.md §2).
 *
 * @param phys first physical address
 * @param order size as a power of two in pages
 */
public record PreservedBlock(long phys, int order) implements Comparable<PreservedBlock> {
    /** @throws IllegalArgumentException for a negative address or order */
    public PreservedBlock {
        if (phys < 0 || order < 0) {
            throw new IllegalArgumentException(String.format("invalid block phys=0x%x order=%d", phys, order));
        }
    }

    /** @param pageSize the page size @return the block's bytes */
    public long size(PageSize pageSize) {
        return pageSize.blockBytes(order);
    }

    /** @param pageSize the page size @return the block as a range */
    public PhysRange range(PageSize pageSize) {
        return new PhysRange(phys, size(pageSize));
    }

    /** Orders by address, then by order. */
    @Override
    public int compareTo(PreservedBlock o) {
        int c = Long.compare(phys, o.phys);
        return c != 0 ? c : Integer.compare(order, o.order);
    }

    /** @return the DESIGN.md §4 line form {@code 0x<phys> <order>} */
    @Override
    public String toString() {
        return String.format("0x%x %d", phys, order);
    }
}
