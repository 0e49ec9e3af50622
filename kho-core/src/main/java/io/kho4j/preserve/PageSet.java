package io.kho4j.preserve;

import java.util.Arrays;

/**
 * A decoder's visited set: the pages it has read, each with a small tag (the radix tree's level), in an
 * open-addressing table of page numbers. It grows by doubling from a few slots, only as pages are added, so
 * its memory is bounded by the pages a decode has actually read (at most 4 slots of 9 bytes per page), never
 * by a count in the input; no boxing, no per-entry objects.
 */
final class PageSet {
    /** Slots at first: the handful of pages of a small map needs no growth. */
    private static final int INITIAL_SLOTS = 64;
    /** Fibonacci hashing: the multiplier spreads consecutive page numbers over the whole table. */
    private static final long SPREAD = 0x9E3779B97F4A7C15L;

    private final int pageShift;
    /** Page number + 1 per slot (page numbers are below 2^52), 0 for a free slot. */
    private long[] slots = new long[INITIAL_SLOTS];
    private byte[] tags = new byte[INITIAL_SLOTS];
    private int size;

    PageSet(PageSize pageSize) {
        this.pageShift = pageSize.shift();
    }

    /** @param phys a page-aligned address @return false if it was already present */
    boolean add(long phys) {
        return add(phys, 0) < 0;
    }

    /**
     * @param phys a page-aligned address
     * @param tag the tag to keep with it, 0..127
     * @return the tag it was added with before, or -1 if it was absent (and is now present with {@code tag})
     */
    int add(long phys, int tag) {
        long stored = (phys >>> pageShift) + 1;
        int at = probe(slots, stored);
        if (slots[at] == stored) {
            return tags[at];
        }
        slots[at] = stored;
        tags[at] = (byte) tag;
        if (++size > slots.length / 2) {
            grow();
        }
        return -1;
    }

    /** @param phys a page-aligned address @return whether it is present */
    boolean contains(long phys) {
        return slots[probe(slots, (phys >>> pageShift) + 1)] != 0;
    }

    /** @return pages added */
    int size() {
        return size;
    }

    /** @return the slot of {@code table} holding {@code stored}, or the free slot where it would go */
    private static int probe(long[] table, long stored) {
        int mask = table.length - 1;
        int at = (int) ((stored * SPREAD) >>> 32) & mask;
        while (table[at] != 0 && table[at] != stored) {
            at = (at + 1) & mask;
        }
        return at;
    }

    private void grow() {
        long[] oldSlots = slots;
        byte[] oldTags = tags;
        slots = new long[oldSlots.length * 2];
        tags = new byte[oldSlots.length * 2];
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != 0) {
                int at = probe(slots, oldSlots[i]); // distinct pages: the free slot
                slots[at] = oldSlots[i];
                tags[at] = oldTags[i];
            }
        }
    }

    /** Empties the set, keeping its table: a decode reuses one set for its two walks. */
    void clear() {
        Arrays.fill(slots, 0);
        size = 0;
    }
}
