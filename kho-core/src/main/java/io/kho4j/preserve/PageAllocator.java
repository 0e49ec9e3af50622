package io.kho4j.preserve;

import io.kho4j.host.PhysicalMemoryException;

/**
 * Hands out the pages an encoder writes map structures into. An implementation must never hand out a page
 * inside scratch (kho-abi.md §2: map pages are checked against scratch overlap from 6.19) or inside
 * preserved memory, and never the same page twice.
 */
@FunctionalInterface
public interface PageAllocator {
    /**
     * @return the physical address of a fresh, page-aligned page
     * @throws PhysicalMemoryException if no page is left
     */
    long allocatePage() throws PhysicalMemoryException;
}
