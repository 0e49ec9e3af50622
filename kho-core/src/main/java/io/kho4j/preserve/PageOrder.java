package io.kho4j.preserve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Block orders and the kernel's split of a page range into preserved blocks.
 *
 * <p>{@code kho_preserve_phys} (6.16) and {@code kho_preserve_pages} (6.18+) walk a range and preserve, at each
 * pfn, the largest naturally aligned block that still fits: {@code order = min(count_trailing_zeros(pfn),
 * ilog2(end_pfn - pfn))} (kho-abi.md §2). From 7.1 a preservation must not span NUMA nodes (kho-abi.md §9.5,
 * "kho: make sure preservations do not span multiple NUMA nodes"); cutting the range at node boundaries
 * first gives the same blocks as shrinking each order until its block stays inside one node.
 */
public final class PageOrder {
    private PageOrder() {
    }

    /** Receives blocks without allocating an object per block. */
    @FunctionalInterface
    public interface BlockSink {
        /** @param phys first address of the block @param order its order */
        void accept(long phys, int order);
    }

    /** @param value a positive number @return floor(log2(value)), the kernel's {@code ilog2} */
    public static int ilog2(long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("ilog2 of non-positive " + value);
        }
        return 63 - Long.numberOfLeadingZeros(value);
    }

    /**
     * @param pfn page frame number of the next block
     * @param pagesLeft pages from {@code pfn} to the end of the range, at least 1
     * @return {@code min(count_trailing_zeros(pfn), ilog2(pagesLeft))}
     */
    public static int maximalOrder(long pfn, long pagesLeft) {
        return Math.min(Long.numberOfTrailingZeros(pfn), ilog2(pagesLeft));
    }

    /**
     * Splits a range as {@code kho_preserve_pages} does.
     *
     * @param range page-aligned range
     * @param pageSize page size
     * @return the blocks in address order
     * @throws IllegalArgumentException if the range is not page aligned or ends above 2^52
     */
    public static List<PreservedBlock> split(PhysRange range, PageSize pageSize) {
        List<PreservedBlock> out = new ArrayList<>();
        split(range, pageSize, new long[0], (phys, order) -> out.add(new PreservedBlock(phys, order)));
        return out;
    }

    /**
     * Splits a range as {@code kho_preserve_pages} does, never letting a block cross a NUMA node boundary.
     *
     * @param range page-aligned range
     * @param pageSize page size
     * @param nodeBoundaries ascending page-aligned addresses at which a new node begins (may be empty)
     * @param sink receives the blocks in address order
     * @throws IllegalArgumentException if the range or a boundary is not page aligned, the boundaries are not
     *     ascending, or the range ends above 2^52
     */
    public static void split(PhysRange range, PageSize pageSize, long[] nodeBoundaries, BlockSink sink) {
        checkRange(range, pageSize);
        checkBoundaries(nodeBoundaries, pageSize);
        int shift = pageSize.shift();
        long start = range.start();
        int next = firstBoundaryAbove(nodeBoundaries, start);
        while (start < range.end()) {
            long end = range.end();
            if (next < nodeBoundaries.length && nodeBoundaries[next] < end) {
                end = nodeBoundaries[next++];
            }
            long pfn = start >>> shift;
            long endPfn = end >>> shift;
            while (pfn < endPfn) {
                int order = maximalOrder(pfn, endPfn - pfn);
                sink.accept(pfn << shift, order);
                pfn += 1L << order;
            }
            start = end;
        }
    }

    /**
     * Checks that a single block ("folio") may be preserved as is.
     *
     * @param phys first address, aligned to the block size
     * @param order block order
     * @param pageSize page size
     * @param nodeBoundaries ascending addresses at which a new node begins (may be empty)
     * @throws IllegalArgumentException if the block is misaligned, too large, or spans a node boundary
     */
    public static void checkFolio(long phys, int order, PageSize pageSize, long[] nodeBoundaries) {
        long size = pageSize.blockBytes(order);
        if (phys < 0 || (phys & (size - 1)) != 0 || phys > (1L << PageSize.MAX_PHYS_BITS) - size) {
            throw new IllegalArgumentException(String.format(
                    "block 0x%x order %d is not naturally aligned below 2^%d", phys, order, PageSize.MAX_PHYS_BITS));
        }
        checkBoundaries(nodeBoundaries, pageSize);
        int i = firstBoundaryAbove(nodeBoundaries, phys);
        if (i < nodeBoundaries.length && nodeBoundaries[i] < phys + size) {
            throw new IllegalArgumentException(String.format(
                    "block 0x%x order %d spans the NUMA node boundary 0x%x", phys, order, nodeBoundaries[i]));
        }
    }

    private static void checkRange(PhysRange range, PageSize pageSize) {
        if (!range.isAligned(pageSize.bytes())) {
            throw new IllegalArgumentException("range " + range + " is not aligned to " + pageSize);
        }
        if (range.end() > 1L << PageSize.MAX_PHYS_BITS) {
            throw new IllegalArgumentException("range " + range + " ends above 2^" + PageSize.MAX_PHYS_BITS);
        }
    }

    static void checkBoundaries(long[] boundaries, PageSize pageSize) {
        for (int i = 0; i < boundaries.length; i++) {
            if (!pageSize.isAligned(boundaries[i]) || boundaries[i] < 0
                    || (i > 0 && boundaries[i] <= boundaries[i - 1])) {
                throw new IllegalArgumentException("node boundaries must be ascending page-aligned addresses: "
                        + Arrays.toString(boundaries));
            }
        }
    }

    private static int firstBoundaryAbove(long[] boundaries, long address) {
        int i = Arrays.binarySearch(boundaries, address);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
