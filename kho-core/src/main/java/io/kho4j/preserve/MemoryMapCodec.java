package io.kho4j.preserve;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;

/**
 * Writes a {@link PreservedMemoryMap} into physical memory in one generation's layout, byte for byte as the
 * kernel does, and reads it back as the successor kernel would (kho-abi.md §2, §9.3).
 *
 * <p>Decoding treats memory as hostile: every pointer is checked for alignment and RAM before it is
 * followed, chunk lists are checked for cycles, radix pages for reuse, counts and orders for range, and the
 * result for overlapping blocks; problems raise {@link MemoryMapFormatException}. Memory use is bounded by
 * the pages actually read: the decoders pre-size the map from the bitmaps (chunk entries, radix leaves) that
 * point into RAM, capped at what a map of all RAM needs, never from a count alone. Implementations are
 * immutable and thread-safe.
 */
public interface MemoryMapCodec {
    /** @param config format, page size, byte order @return the codec */
    static MemoryMapCodec of(MemoryMapCodecConfig config) {
        return config.format().isChunkList() ? new ChunkListCodec(config) : new RadixTreeCodec(config);
    }

    /** @param format layout @param pageSize page size @return the little-endian codec */
    static MemoryMapCodec of(MemoryMapFormat format, PageSize pageSize) {
        return of(MemoryMapCodecConfig.of(format, pageSize));
    }

    /** @return the configuration */
    MemoryMapCodecConfig config();

    /**
     * Writes the map's structures into pages from {@code allocator}; each page is written exactly once, whole.
     *
     * @param map the blocks, of this codec's page size
     * @param memory where to write
     * @param allocator source of pages; each must be page aligned and outside every preserved block
     * @return the value for the root {@code preserved-memory-map} property: the first chunk, 0 for an empty
     *     chunk list (as the kernel writes), or the radix root page (never 0)
     * @throws PhysicalMemoryException if a write fails or the allocator runs out
     * @throws MemoryMapFormatException if the layout cannot represent the map, or refuses it
     * @throws IllegalArgumentException if the page size differs or the allocator hands out a bad page
     */
    long encode(PreservedMemoryMap map, PhysicalMemory memory, PageAllocator allocator)
            throws PhysicalMemoryException, MemoryMapFormatException;

    /**
     * @param map the blocks
     * @return the pages {@link #encode} will take from its allocator
     */
    long pagesNeeded(PreservedMemoryMap map);

    /**
     * Reads a map as the successor kernel would.
     *
     * @param memory physical memory
     * @param root the {@code preserved-memory-map} value
     * @return the blocks
     * @throws MemoryMapFormatException for anything the successor must not trust
     */
    default PreservedMemoryMap decode(PhysicalMemory memory, long root) throws MemoryMapFormatException {
        return decode(memory, root, MapPageVisitor.NONE);
    }

    /**
     * Reads a map as the successor kernel would, reporting each structure read.
     *
     * @param memory physical memory
     * @param root the {@code preserved-memory-map} value
     * @param visitor told about every chunk, bitmap, table and leaf, in reading order
     * @return the blocks
     * @throws MemoryMapFormatException for anything the successor must not trust
     */
    PreservedMemoryMap decode(PhysicalMemory memory, long root, MapPageVisitor visitor)
            throws MemoryMapFormatException;
}
