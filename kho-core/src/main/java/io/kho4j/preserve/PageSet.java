package io.kho4j.preserve;

import java.util.HashMap;
import java.util.Map;

/**
 * A sparse set of page addresses: 4096-page regions, each a 512-byte bitmap, created on first use. A
 * decoder's visited set costs at most one region per page it has read, and at most 512 bytes per 4096 pages
 * of RAM, so a hostile list cannot make it outgrow the memory it points into.
 */
final class PageSet {
    private static final int REGION_LOG2 = 12;

    private final int pageShift;
    private final Map<Long, long[]> regions = new HashMap<>();

    PageSet(PageSize pageSize) {
        this.pageShift = pageSize.shift();
    }

    /** @param phys a page-aligned address @return false if it was already present */
    boolean add(long phys) {
        long page = phys >>> pageShift;
        long[] bits = regions.computeIfAbsent(page >>> REGION_LOG2, k -> new long[(1 << REGION_LOG2) / 64]);
        int word = (int) ((page >>> 6) & ((1 << (REGION_LOG2 - 6)) - 1));
        long bit = 1L << page;
        boolean added = (bits[word] & bit) == 0;
        bits[word] |= bit;
        return added;
    }

    /** @param phys a page-aligned address @return whether it is present */
    boolean contains(long phys) {
        long page = phys >>> pageShift;
        long[] bits = regions.get(page >>> REGION_LOG2);
        return bits != null && (bits[(int) ((page >>> 6) & ((1 << (REGION_LOG2 - 6)) - 1))] & (1L << page)) != 0;
    }
}
