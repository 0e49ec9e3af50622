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
    /** A map holds no block at or above 2^{@link PageSize#MAX_PHYS_BITS}. */
    private static final long PHYS_LIMIT = 1L << PageSize.MAX_PHYS_BITS;
    /** Zero words for the empty parts of pages; never written to. */
    private static final long[] ZEROS = new long[512];

    private final PreservedMemoryMap map;
    private final PhysicalMemory memory;
    private final PageAllocator allocator;
    private final PageSize pageSize;
    private final ByteOrder order;
    /** Pages in {@code [clearFrom, clearTo)} hold no preserved block: found by the last look-up. */
    private long clearFrom;
    private long clearTo;

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
        if (page < PHYS_LIMIT && (page < clearFrom || page + pageSize.bytes() > clearTo)) {
            // One look-up finds the next preserved block: ascending pages up to it (a bump allocator's) need none.
            Optional<PreservedBlock> hit = map.firstIntersecting(new PhysRange(page, PHYS_LIMIT - page));
            if (hit.isPresent() && hit.get().phys() < page + pageSize.bytes()) {
                throw new IllegalArgumentException(String.format(
                        "page allocator returned page 0x%x inside preserved block %s", page, hit.get()));
            }
            clearFrom = page;
            clearTo = hit.isPresent() ? hit.get().phys() : PHYS_LIMIT;
        }
        return page;
    }

    /** Writes one page whose content is {@code words[offset ..]} (page size / 8 words). */
    void writePage(long phys, long[] words, int offset) throws PhysicalMemoryException {
        memory.writeLongs(phys, words, offset, pageSize.bytes() / 8, order);
    }

    /**
     * Writes one page whose words {@code [from, to)} are {@code words[0 .. to - from)} and whose other words are
     * zero: the zeros come from one shared array, not from a page-sized buffer per structure.
     */
    void writePage(long phys, long[] words, int from, int to) throws PhysicalMemoryException {
        writeZeros(phys, 0, from);
        memory.writeLongs(phys + 8L * from, words, 0, to - from, order);
        writeZeros(phys, to, pageSize.bytes() / 8);
    }

    private void writeZeros(long phys, int from, int to) throws PhysicalMemoryException {
        for (int at = from; at < to; at += ZEROS.length) {
            memory.writeLongs(phys + 8L * at, ZEROS, 0, Math.min(ZEROS.length, to - at), order);
        }
    }

    /**
     * Writes one page front to back straight from the caller's arrays (a bitmap or radix leaf of a few of the
     * map's windows): words never put are written as zeros, runs of words that follow each other in the
     * source go out in one write, and nothing is buffered.
     */
    final class SequentialPage {
        private long phys;
        /** Words of the page written so far. */
        private int written;
        private long[] pending;
        private int pendingOffset;
        private int pendingIndex;
        private int pendingCount;

        /** Starts writing the page at {@code page}. */
        void begin(long page) {
            phys = page;
            written = 0;
            pendingCount = 0;
        }

        /** Puts {@code src[offset .. offset + count)} at word {@code index}, after every word put before. */
        void put(int index, long[] src, int offset, int count) throws PhysicalMemoryException {
            if (pendingCount > 0 && src == pending && offset == pendingOffset + pendingCount
                    && index == pendingIndex + pendingCount) {
                pendingCount += count;
                return;
            }
            flush();
            if (index < written) {
                throw new IllegalStateException("word " + index + " put after word " + written);
            }
            pending = src;
            pendingOffset = offset;
            pendingIndex = index;
            pendingCount = count;
        }

        /** Writes the rest of the page. */
        void end() throws PhysicalMemoryException {
            flush();
            writeZeros(phys, written, pageSize.bytes() / 8);
            pending = null;
        }

        private void flush() throws PhysicalMemoryException {
            if (pendingCount > 0) {
                writeZeros(phys, written, pendingIndex);
                memory.writeLongs(phys + 8L * pendingIndex, pending, pendingOffset, pendingCount, order);
                written = pendingIndex + pendingCount;
                pendingCount = 0;
            }
        }
    }
}
