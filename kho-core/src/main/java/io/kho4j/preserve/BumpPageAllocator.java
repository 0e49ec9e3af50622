package io.kho4j.preserve;

import io.kho4j.host.PhysicalMemoryException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Hands out pages in ascending address order from free ranges, stepping over excluded ranges (scratch areas,
 * preserved memory, anything else the caller reserves). Remembers what it handed out as coalesced ranges, so
 * its memory stays proportional to the number of runs, not pages. Not thread-safe.
 */
public final class BumpPageAllocator implements PageAllocator {
    private final PageSize pageSize;
    private final List<PhysRange> free;
    private final List<PhysRange> excluded;
    private final List<PhysRange> allocated = new ArrayList<>();
    private int freeIndex;
    private int excludedIndex;
    private long cursor;
    private long count;

    /**
     * @param pageSize page size
     * @param free ranges to allocate from, non-overlapping
     * @param excluded ranges no page may intersect
     * @throws IllegalArgumentException if free ranges overlap
     */
    public BumpPageAllocator(PageSize pageSize, List<PhysRange> free, List<PhysRange> excluded) {
        this.pageSize = pageSize;
        this.free = sorted(free);
        this.excluded = sorted(excluded);
        for (int i = 1; i < this.free.size(); i++) {
            if (this.free.get(i).overlaps(this.free.get(i - 1))) {
                throw new IllegalArgumentException("free ranges overlap: " + this.free);
            }
        }
        this.cursor = this.free.isEmpty() ? 0 : alignUp(this.free.get(0).start());
    }

    /**
     * @param pageSize page size
     * @param start first address (rounded up to a page)
     * @param end end address, exclusive
     * @return an allocator over {@code [start, end)} with nothing excluded
     */
    public static BumpPageAllocator over(PageSize pageSize, long start, long end) {
        return new BumpPageAllocator(pageSize, List.of(PhysRange.ofEnd(start, end)), List.of());
    }

    @Override
    public long allocatePage() throws PhysicalMemoryException {
        long size = pageSize.bytes();
        while (freeIndex < free.size()) {
            PhysRange range = free.get(freeIndex);
            if (cursor < range.start()) {
                cursor = alignUp(range.start());
            }
            if (cursor > range.end() - size) {
                freeIndex++;
                continue;
            }
            while (excludedIndex < excluded.size() && excluded.get(excludedIndex).end() <= cursor) {
                excludedIndex++;
            }
            if (excludedIndex < excluded.size() && excluded.get(excludedIndex).start() < cursor + size) {
                cursor = alignUp(excluded.get(excludedIndex).end());
                continue;
            }
            long page = cursor;
            cursor += size;
            record(page);
            return page;
        }
        throw new PhysicalMemoryException(cursor, "page allocator exhausted after " + count
                + " pages: no free page outside the excluded ranges is left in " + free, null);
    }

    /** @return how many pages were handed out */
    public long allocatedPages() {
        return count;
    }

    /** @return the handed-out pages as ascending coalesced ranges */
    public List<PhysRange> allocatedRanges() {
        return Collections.unmodifiableList(allocated);
    }

    private void record(long page) {
        count++;
        int last = allocated.size() - 1;
        if (last >= 0 && allocated.get(last).end() == page) {
            allocated.set(last, new PhysRange(allocated.get(last).start(), allocated.get(last).size() + pageSize.bytes()));
        } else {
            allocated.add(new PhysRange(page, pageSize.bytes()));
        }
    }

    private long alignUp(long address) {
        long mask = pageSize.bytes() - 1L;
        return address > Long.MAX_VALUE - mask ? Long.MAX_VALUE & ~mask : (address + mask) & ~mask;
    }

    private static List<PhysRange> sorted(List<PhysRange> ranges) {
        List<PhysRange> out = new ArrayList<>(ranges);
        Collections.sort(out);
        return out;
    }
}
