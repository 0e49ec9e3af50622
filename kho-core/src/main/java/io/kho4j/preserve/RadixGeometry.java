package io.kho4j.preserve;

/**
 * The constants of the 7.1+ radix tree for one page size ({@code enum kho_radix_consts}, kho-abi.md §2) and its
 * key encoding. {@code KHO_TREE_MAX_DEPTH} changed inside 7.1-rc without an ABI bump (kho-abi.md §9.3); both
 * formulas are modelled: they differ only for 16 KiB pages (4 levels before the fix, 5 after).
 */
public final class RadixGeometry {
    /** Which {@code KHO_TREE_MAX_DEPTH} formula a kernel used. */
    public enum DepthFormula {
        /** {@code DIV_ROUND_UP(ORDER_0_LOG2 - BITMAP_SIZE_LOG2, TABLE_SIZE_LOG2) + 1}: 7.1-rc up to rc5. */
        PRE_FIX,
        /** {@code DIV_ROUND_UP(ORDER_0_LOG2 - BITMAP_SIZE_LOG2 + 1, TABLE_SIZE_LOG2) + 1}: commit d64b0372, 7.1 final. */
        POST_FIX
    }

    private final PageSize pageSize;
    private final DepthFormula formula;
    private final int depth;

    private RadixGeometry(PageSize pageSize, DepthFormula formula) {
        this.pageSize = pageSize;
        this.formula = formula;
        int span = orderZeroLog2() - bitmapSizeLog2() + (formula == DepthFormula.POST_FIX ? 1 : 0);
        this.depth = Math.floorDiv(span + tableSizeLog2() - 1, tableSizeLog2()) + 1;
    }

    /** @param pageSize page size @param formula depth formula @return the geometry */
    public static RadixGeometry of(PageSize pageSize, DepthFormula formula) {
        return new RadixGeometry(pageSize, formula);
    }

    /** @return the page size */
    public PageSize pageSize() {
        return pageSize;
    }

    /** @return the depth formula */
    public DepthFormula formula() {
        return formula;
    }

    /** @return {@code KHO_ORDER_0_LOG2 = 64 - PAGE_SHIFT}: the bit that marks order 0 */
    public int orderZeroLog2() {
        return 64 - pageSize.shift();
    }

    /** @return {@code KHO_TABLE_SIZE_LOG2 = ilog2(PAGE_SIZE / 8)}: 9 for 4 KiB pages (512 entries) */
    public int tableSizeLog2() {
        return pageSize.shift() - 3;
    }

    /** @return {@code KHO_BITMAP_SIZE_LOG2 = PAGE_SHIFT + 3}: 15 for 4 KiB pages (32768 bits per leaf) */
    public int bitmapSizeLog2() {
        return pageSize.shift() + 3;
    }

    /** @return {@code KHO_TREE_MAX_DEPTH}: levels including the leaf level (6 for 4 KiB pages) */
    public int depth() {
        return depth;
    }

    /** @return key bits the tree's indices cover; higher key bits are silently dropped by the kernel */
    public int keyBits() {
        return (depth - 1) * tableSizeLog2() + bitmapSizeLog2();
    }

    /**
     * @param phys block address
     * @param order block order
     * @return {@code kho_radix_encode_key}: {@code 1 << (ORDER_0_LOG2 - order) | phys >> (PAGE_SHIFT + order)}
     */
    public long encodeKey(long phys, int order) {
        pageSize.checkOrder(order);
        return (1L << (orderZeroLog2() - order)) | (phys >>> (pageSize.shift() + order));
    }

    /**
     * @param key a radix key
     * @return {@code kho_radix_decode_key}: order from the highest set bit, address from the bits below it
     * @throws IllegalArgumentException if the key decodes to an order outside 0..{@link PageSize#maxOrder()}
     */
    public PreservedBlock decodeKey(long key) {
        int order = orderOf(key);
        if (order < 0 || order > pageSize.maxOrder()) {
            throw new IllegalArgumentException(String.format("key 0x%x has no valid order bit", key));
        }
        return new PreservedBlock((key ^ Long.highestOneBit(key)) << (pageSize.shift() + order), order);
    }

    /** @param key a key @return {@code ORDER_0_LOG2 - fls64(key) + 1}, possibly out of range */
    int orderOf(long key) {
        return orderZeroLog2() - (64 - Long.numberOfLeadingZeros(key)) + 1;
    }

    /** @param key a key @param level table level, 1 .. depth-1 @return {@code kho_radix_get_table_index} */
    public int tableIndex(long key, int level) {
        return (int) ((key >>> indexShift(level)) & ((1L << tableSizeLog2()) - 1));
    }

    /** @param key a key @return {@code kho_radix_get_bitmap_index} */
    public int leafBit(long key) {
        return (int) (key & ((1L << bitmapSizeLog2()) - 1));
    }

    /** @param level table level, 1 .. depth-1 @return the key bit where that level's index starts */
    int indexShift(int level) {
        return (level - 1) * tableSizeLog2() + bitmapSizeLog2();
    }

    @Override
    public String toString() {
        return "RadixGeometry[" + pageSize + ", " + formula + ", depth " + depth + "]";
    }
}
