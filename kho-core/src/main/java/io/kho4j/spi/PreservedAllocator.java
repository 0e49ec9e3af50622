package io.kho4j.spi;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.internal.FolioAllocator;
import java.util.List;

/**
 * Memory a serializer places structures in outside its blob: vmalloc chunk lists, linked blocks, memfd
 * folio arrays, test folios. Like the kernel's {@code kho_alloc_preserve()} / {@code folio_alloc} +
 * {@code kho_preserve_folio}, every folio handed out is preserved for the successor automatically, and it is
 * never inside scratch (the successor's early allocations would overwrite it: kho-abi.md §3).
 *
 * <p>Allocation is deterministic: the same sequence of calls gives the same addresses, so a serializer's
 * output stays byte-for-byte reproducible.
 */
public interface PreservedAllocator {

    /** @return the page size in bytes */
    int pageSize();

    /**
     * Allocates {@code 2^order} contiguous, naturally aligned, zero-filled pages and preserves them as one folio.
     *
     * @param order folio order, 0 for one page
     * @return the physical address of the first page
     * @throws PhysicalMemoryException if no free memory outside scratch is left
     */
    long allocateFolio(int order) throws PhysicalMemoryException;

    /**
     * Writes into memory this allocator handed out.
     *
     * @param phys address inside an allocated folio
     * @param data bytes; must not run past the folio
     * @throws PhysicalMemoryException if the range was not handed out by this allocator
     */
    void write(long phys, byte[] data) throws PhysicalMemoryException;

    /**
     * @param bytes a size in bytes
     * @return the smallest folio order whose size holds {@code bytes}
     */
    default int orderFor(long bytes) {
        long pages = Math.max(1, (bytes + pageSize() - 1) / pageSize());
        return 64 - Long.numberOfLeadingZeros(pages - 1);
    }

    /**
     * Allocates a folio just big enough for {@code content} and writes it there.
     *
     * @param content the bytes
     * @return the physical address
     * @throws PhysicalMemoryException if no memory is left
     */
    default long allocate(byte[] content) throws PhysicalMemoryException {
        long phys = allocateFolio(orderFor(content.length));
        write(phys, content);
        return phys;
    }

    /** @return every folio handed out, in allocation order, as preservations */
    List<Preservation> allocations();

    /**
     * An allocator over a machine's memory.
     *
     * @param memory where folios are written
     * @param pageSize page size in bytes
     * @param free ranges to allocate from, searched top-down as memblock does
     * @param excluded ranges never to hand out (scratch, the kernel image, other blobs)
     * @return the allocator
     */
    static PreservedAllocator over(PhysicalMemory memory, int pageSize, List<PhysRange> free, List<PhysRange> excluded) {
        return new FolioAllocator(memory, pageSize, free, excluded);
    }
}
