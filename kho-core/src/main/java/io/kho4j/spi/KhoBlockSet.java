package io.kho4j.spi;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PreservedStructureException;
import io.kho4j.preserve.PreservedStructureException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A linked-block set (7.2+, {@code kho-v4}; kho-abi.md §9.2, include/linux/kho/abi/block.h): fixed-size entries in
 * a chain of preserved pages, each starting with
 * <pre>
 *   struct kho_block_header_ser { u64 next; u64 count; }   16 bytes, CPU order; entries follow at offset 16
 * </pre>
 * {@code next} is the physical address of the next block, 0 ends the chain; an empty set is a head of 0.
 *
 * <p>Reader rules of {@code kho_block_set_restore}, all enforced: no cycles (the kernel uses Floyd's algorithm),
 * at most {@link #MAX_BLOCKS} blocks, and {@code 1 <= count <= } {@link #entriesPerBlock} in every block (empty
 * blocks are invalid). Stricter than the kernel: every block must be a page-aligned page of RAM.
 */
public final class KhoBlockSet {
    /** {@code sizeof(struct kho_block_header_ser)}. */
    public static final int HEADER_SIZE = 16;
    /** {@code KHO_MAX_BLOCKS}: the kernel refuses longer chains (kernel/liveupdate/kho_block.c). */
    public static final int MAX_BLOCKS = 10_000;

    private KhoBlockSet() {
    }

    /**
     * @param pageSize {@code KHO_BLOCK_SIZE}, the page size
     * @param entrySize bytes per entry
     * @return {@code count_per_block}: entries one block holds, e.g. 51 sessions or 63 files per 4 KiB block
     */
    public static int entriesPerBlock(int pageSize, int entrySize) {
        if (entrySize <= 0 || entrySize > pageSize - HEADER_SIZE) {
            throw new IllegalArgumentException("entry size " + entrySize + " does not fit a " + pageSize + "-byte block");
        }
        return (pageSize - HEADER_SIZE) / entrySize;
    }

    /**
     * Writes entries as the kernel's {@code kho_block_set_grow} + {@code kho_block_set_it_reserve_entry} do: as few
     * blocks as hold them, each full but the last.
     *
     * @param memory where the blocks go (one page each, preserved with the caller's subtree)
     * @param entries the entries, each exactly {@code entrySize} bytes
     * @param entrySize bytes per entry
     * @param order CPU byte order
     * @return the head's physical address, 0 for no entries
     * @throws PhysicalMemoryException if memory runs out
     * @throws IllegalArgumentException if an entry has the wrong size or the set needs more than {@link #MAX_BLOCKS}
     */
    public static long write(PreservedAllocator memory, List<byte[]> entries, int entrySize, ByteOrder order)
            throws PhysicalMemoryException {
        int pageSize = memory.pageSize();
        int perBlock = entriesPerBlock(pageSize, entrySize);
        int blocks = (entries.size() + perBlock - 1) / perBlock;
        if (blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException(entries.size() + " entries need " + blocks + " blocks; the kernel"
                    + " allows " + MAX_BLOCKS);
        }
        long[] at = new long[blocks];
        for (int i = 0; i < blocks; i++) {
            at[i] = memory.allocateFolio(0);
        }
        for (int i = 0; i < blocks; i++) {
            int from = i * perBlock;
            int to = Math.min(entries.size(), from + perBlock);
            ByteBuffer page = ByteBuffer.allocate(pageSize).order(order);
            page.putLong(i + 1 < blocks ? at[i + 1] : 0).putLong(to - from);
            for (byte[] e : entries.subList(from, to)) {
                if (e.length != entrySize) {
                    throw new IllegalArgumentException("entry of " + e.length + " bytes, the set's entries are "
                            + entrySize);
                }
                page.put(e);
            }
            memory.write(at[i], page.array());
        }
        return blocks == 0 ? 0 : at[0];
    }

    /**
     * Reads a set, applying the kernel's reader rules.
     *
     * @param memory the memory the blocks are in
     * @param head physical address of the first block, 0 for an empty set
     * @param pageSize page size
     * @param entrySize bytes per entry
     * @param order CPU byte order
     * @return the entries in chain order, each {@code entrySize} bytes
     * @throws PreservedStructureException for a chain the successor must not trust, naming the address
     */
    public static List<byte[]> read(PhysicalMemory memory, long head, int pageSize, int entrySize, ByteOrder order)
            throws PreservedStructureException {
        int perBlock = entriesPerBlock(pageSize, entrySize);
        List<byte[]> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (long block = head; block != 0; ) {
            if (!seen.add(block)) {
                throw new PreservedStructureException(Kind.CYCLE, block, "the block chain returns to this block", null);
            }
            if (seen.size() > MAX_BLOCKS) {
                throw new PreservedStructureException(Kind.TOO_LONG, block, "more than KHO_MAX_BLOCKS (" + MAX_BLOCKS
                        + ") blocks", null);
            }
            ByteBuffer page = ByteBuffer.wrap(PreservedPages.read(memory, block, pageSize, pageSize, "block"))
                    .order(order);
            long count = page.getLong(8);
            if (count < 1 || count > perBlock) {
                throw new PreservedStructureException(Kind.BAD_COUNT, block, "count " + Long.toUnsignedString(count)
                        + " outside 1.." + perBlock + " (empty blocks are invalid)", null);
            }
            for (int i = 0; i < count; i++) {
                byte[] e = new byte[entrySize];
                page.get(HEADER_SIZE + i * entrySize, e);
                out.add(e);
            }
            block = page.getLong(0);
        }
        return out;
    }
}
