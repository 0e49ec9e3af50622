package io.kho4j.preserve;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The page handling both encoders share: takes pages from the caller's allocator, refuses pages that would
 * overwrite preserved memory, and writes whole pages of words in the configured byte order.
 */
final class MapWriter {
    private final PreservedMemoryMap map;
    private final PhysicalMemory memory;
    private final PageAllocator allocator;
    private final PageSize pageSize;
    private final ByteOrder order;

    MapWriter(PreservedMemoryMap map, PhysicalMemory memory, PageAllocator allocator, ByteOrder order) {
        this.map = map;
        this.memory = memory;
        this.allocator = allocator;
        this.pageSize = map.pageSize();
        this.order = order;
    }

    /** @return a page from the allocator, checked */
    long allocate() throws PhysicalMemoryException {
        long page = allocator.allocatePage();
        if (page < 0 || !pageSize.isAligned(page)) {
            throw new IllegalArgumentException(String.format("page allocator returned unaligned page 0x%x", page));
        }
        Optional<PreservedBlock> hit = map.firstIntersecting(new PhysRange(page, pageSize.bytes()));
        if (hit.isPresent()) {
            throw new IllegalArgumentException(String.format(
                    "page allocator returned page 0x%x inside preserved block %s", page, hit.get()));
        }
        return page;
    }

    /** Writes one page whose content is {@code words} (page size / 8 words). */
    void writePage(long phys, long[] words) throws PhysicalMemoryException {
        writePage(phys, words, 0);
    }

    /** Writes one page whose content is {@code words[offset ..]} (page size / 8 words). */
    void writePage(long phys, long[] words, int offset) throws PhysicalMemoryException {
        memory.writeLongs(phys, words, offset, pageSize.bytes() / 8, order);
    }
}
