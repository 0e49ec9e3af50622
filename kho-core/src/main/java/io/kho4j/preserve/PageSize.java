package io.kho4j.preserve;

import java.util.Locale;

/**
 * The kernel's {@code PAGE_SIZE}, a build-time constant that both sides of a handover must share
 * (kho-abi.md §2 "live update between kernels with different page sizes is not supported by KHO").
 * x86-64 uses 4 KiB; arm64 may be built with 4, 16 or 64 KiB.
 */
public enum PageSize {
    /** 4 KiB pages: x86-64 and the arm64 default. */
    KIB_4(12, 10, 9),
    /** 16 KiB pages (arm64 {@code CONFIG_ARM64_16K_PAGES}). */
    KIB_16(14, 11, 11),
    /** 64 KiB pages (arm64 {@code CONFIG_ARM64_64K_PAGES}). */
    KIB_64(16, 13, 13);

    /**
     * Widest physical address any KHO architecture can have: 52 bits (x86-64 five-level paging, arm64 LPA).
     * Bounding blocks by it keeps every block address and radix key computation inside a signed long.
     */
    public static final int MAX_PHYS_BITS = 52;

    private final int shift;
    private final int defaultMaxPageOrder;
    private final int defaultPageblockOrder;

    PageSize(int shift, int defaultMaxPageOrder, int defaultPageblockOrder) {
        this.shift = shift;
        this.defaultMaxPageOrder = defaultMaxPageOrder;
        this.defaultPageblockOrder = defaultPageblockOrder;
    }

    /** @return {@code PAGE_SHIFT} */
    public int shift() {
        return shift;
    }

    /** @return {@code PAGE_SIZE} in bytes */
    public int bytes() {
        return 1 << shift;
    }

    /**
     * @return the largest block order a preserved-memory map can hold: blocks of {@code PAGE_SIZE << order}
     *     bytes must fit below 2^{@link #MAX_PHYS_BITS} (40 for 4 KiB pages)
     */
    public int maxOrder() {
        return MAX_PHYS_BITS - shift;
    }

    /**
     * @return the default {@code MAX_PAGE_ORDER} (derived: x86-64 and arm64 Kconfig {@code ARCH_FORCE_MAX_ORDER}
     *     defaults 10, 11, 13), which sets {@code MAX_ORDER_NR_PAGES} for the 7.3+ scratch alignment (kho-abi.md §9.5)
     */
    public int defaultMaxPageOrder() {
        return defaultMaxPageOrder;
    }

    /**
     * @return the default {@code pageblock_order} = min(HPAGE_PMD_ORDER, MAX_PAGE_ORDER) (derived: 9, 11, 13),
     *     which sets {@code CMA_MIN_ALIGNMENT_BYTES} for scratch before 7.3 (kho-abi.md §3)
     */
    public int defaultPageblockOrder() {
        return defaultPageblockOrder;
    }

    /** @param order a block order @return the block size in bytes, {@code PAGE_SIZE << order} */
    public long blockBytes(int order) {
        checkOrder(order);
        return 1L << (shift + order);
    }

    /** @param order a block order @throws IllegalArgumentException if it is negative or above {@link #maxOrder()} */
    public void checkOrder(int order) {
        if (order < 0 || order > maxOrder()) {
            throw new IllegalArgumentException("order " + order + " outside 0.." + maxOrder() + " for " + this);
        }
    }

    /** @param address a physical address @return whether it is a multiple of the page size */
    public boolean isAligned(long address) {
        return (address & (bytes() - 1)) == 0;
    }

    /**
     * @param bytes 4096, 16384 or 65536
     * @return the page size
     * @throws IllegalArgumentException for any other value
     */
    public static PageSize ofBytes(long bytes) {
        for (PageSize p : values()) {
            if (p.bytes() == bytes) {
                return p;
            }
        }
        throw new IllegalArgumentException("unsupported page size " + bytes + " (use 4096, 16384 or 65536)");
    }

    /**
     * @param text a byte count ({@code 4096}) or a K-suffixed size ({@code 16K}, {@code 64k})
     * @return the page size
     * @throws IllegalArgumentException if the text names no supported page size
     */
    public static PageSize parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        try {
            if (t.endsWith("K")) {
                return ofBytes(Long.parseLong(t.substring(0, t.length() - 1)) * 1024);
            }
            return ofBytes(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a page size: " + text, e);
        }
    }

    @Override
    public String toString() {
        return (bytes() / 1024) + " KiB pages";
    }
}
