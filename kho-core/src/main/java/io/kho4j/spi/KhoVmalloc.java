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
 * {@code struct kho_vmalloc}, the 16-byte descriptor of a vmalloc area handed over page by page (6.18+; kho-abi.md
 * §2 "Other preserved structures"), and the chunk list it points at:
 * <pre>
 *   struct kho_vmalloc       { u64 first; u32 total_pages; u16 flags; u16 order; }     16 bytes, CPU order
 *   struct kho_vmalloc_chunk { u64 next; u64 phys[(PAGE_SIZE - 8) / 8]; }             one preserved page
 * </pre>
 * {@code phys[]} lists the area's blocks of {@code 1 << order} pages and ends at the first 0 or at the end of the
 * chunk; {@code next} links the chunks, 0 ends the list. The kernel's writer starts a new (possibly empty) chunk
 * as soon as one fills up. The reader here is stricter than {@code kho_restore_vmalloc}, which trusts the list: it
 * refuses cycles, chains longer than the entries need, pointers outside RAM or misaligned, unknown flag bits, and
 * areas larger than the caller's limit.
 *
 * @param first physical address of the first chunk, 0 for none
 * @param totalPages {@code total_pages}, 0 .. 2^32 - 1
 * @param flags {@link #FLAG_ALLOC} and/or {@link #FLAG_HUGE_VMAP}, 0 .. 0xffff
 * @param order page order of each block, 0 .. 0xffff
 */
public record KhoVmalloc(long first, long totalPages, int flags, int order) {
    /** {@code sizeof(struct kho_vmalloc)}. */
    public static final int SIZE = 16;
    /** {@code KHO_VMALLOC_ALLOC}: the area came from vmalloc (kho-abi.md §2). */
    public static final int FLAG_ALLOC = 0x0001;
    /** {@code KHO_VMALLOC_HUGE_VMAP}: the area may be mapped with huge pages (kho-abi.md §2). */
    public static final int FLAG_HUGE_VMAP = 0x0002;
    /** The descriptor of nothing, as memfd writes it for an empty file. */
    public static final KhoVmalloc NONE = new KhoVmalloc(0, 0, 0, 0);
    /** Bytes of {@code hdr.next} before {@code phys[]} in a chunk. */
    private static final int CHUNK_HEADER = 8;
    /** Largest block order read: PUD-sized blocks of 4 KiB pages; vmalloc uses 0 or the PMD order. */
    private static final int MAX_ORDER = 18;

    /** @throws IllegalArgumentException if a field is outside its C type */
    public KhoVmalloc {
        if (totalPages < 0 || totalPages > 0xffffffffL || flags < 0 || flags > 0xffff || order < 0 || order > 0xffff) {
            throw new IllegalArgumentException(String.format("kho_vmalloc field out of range: total_pages=%d flags=0x%x"
                    + " order=%d", totalPages, flags, order));
        }
    }

    /** @param pageSize page size @return {@code KHO_VMALLOC_SIZE}: block addresses per chunk, 511 for 4 KiB pages */
    public static int entriesPerChunk(int pageSize) {
        return (pageSize - CHUNK_HEADER) / Long.BYTES;
    }

    /** @param byteOrder CPU byte order @return the 16 bytes of the descriptor */
    public byte[] encode(ByteOrder byteOrder) {
        return ByteBuffer.allocate(SIZE).order(byteOrder).putLong(first).putInt((int) totalPages)
                .putShort((short) flags).putShort((short) order).array();
    }

    /**
     * @param bytes exactly {@link #SIZE} bytes
     * @param order CPU byte order
     * @return the descriptor (not yet checked against memory)
     * @throws IllegalArgumentException if {@code bytes} is not 16 bytes long
     */
    public static KhoVmalloc decode(byte[] bytes, ByteOrder order) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("struct kho_vmalloc is " + SIZE + " bytes, not " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        return new KhoVmalloc(b.getLong(), Integer.toUnsignedLong(b.getInt()), Short.toUnsignedInt(b.getShort()),
                Short.toUnsignedInt(b.getShort()));
    }

    /**
     * Places {@code data} in a vmalloc-like area of order-0 pages and writes its chunk list, as
     * {@code vmalloc_array} + {@code kho_preserve_vmalloc} do. Every page comes from {@code memory}, so it is
     * preserved with the caller's subtree.
     *
     * @param memory where the pages go
     * @param data the area's contents, at least one byte; the rest of the last page stays zero
     * @param order CPU byte order
     * @return the descriptor, with {@link #FLAG_ALLOC}
     * @throws PhysicalMemoryException if memory runs out
     */
    public static KhoVmalloc write(PreservedAllocator memory, byte[] data, ByteOrder order)
            throws PhysicalMemoryException {
        if (data.length == 0) {
            throw new IllegalArgumentException("a vmalloc area has at least one page");
        }
        int pageSize = memory.pageSize();
        int pages = (data.length + pageSize - 1) / pageSize;
        List<Long> blocks = new ArrayList<>(pages);
        for (int p = 0; p < pages; p++) {
            long phys = memory.allocateFolio(0);
            int from = p * pageSize;
            byte[] slice = new byte[Math.min(pageSize, data.length - from)];
            System.arraycopy(data, from, slice, 0, slice.length);
            memory.write(phys, slice);
            blocks.add(phys);
        }
        return writeChunks(memory, blocks, 0, FLAG_ALLOC, order);
    }

    /**
     * Writes the chunk list for blocks that are already in memory.
     *
     * @param memory where the chunks go
     * @param blocks block addresses, each aligned to {@code pageSize << blockOrder}, none 0
     * @param blockOrder the blocks' page order
     * @param flags descriptor flags
     * @param order CPU byte order
     * @return the descriptor; {@code total_pages} is {@code blocks.size() << blockOrder}
     * @throws PhysicalMemoryException if memory runs out
     */
    public static KhoVmalloc writeChunks(PreservedAllocator memory, List<Long> blocks, int blockOrder, int flags,
            ByteOrder order) throws PhysicalMemoryException {
        int pageSize = memory.pageSize();
        int perChunk = entriesPerChunk(pageSize);
        long blockSize = (long) pageSize << blockOrder;
        for (long b : blocks) {
            if (b == 0 || b % blockSize != 0) {
                throw new IllegalArgumentException(String.format("block 0x%x is 0 or not aligned to 0x%x", b, blockSize));
            }
        }
        // A new chunk starts whenever one fills, so a full last chunk is followed by an empty one.
        int chunks = blocks.size() / perChunk + 1;
        long[] at = new long[chunks];
        for (int c = 0; c < chunks; c++) {
            at[c] = memory.allocateFolio(0);
        }
        for (int c = 0; c < chunks; c++) {
            ByteBuffer page = ByteBuffer.allocate(pageSize).order(order);
            page.putLong(c + 1 < chunks ? at[c + 1] : 0);
            for (int i = c * perChunk; i < Math.min(blocks.size(), (c + 1) * perChunk); i++) {
                page.putLong(blocks.get(i));
            }
            memory.write(at[c], page.array());
        }
        return new KhoVmalloc(at[0], (long) blocks.size() << blockOrder, flags, blockOrder);
    }

    /**
     * Walks the chunk list.
     *
     * @param memory the memory the list is in
     * @param pageSize page size
     * @param byteOrder CPU byte order
     * @param maxPages the largest {@code total_pages} to accept: the caller's bound on what it will read
     * @return the block addresses in list order
     * @throws PreservedStructureException for a list the successor must not trust, naming the address
     */
    public List<Long> blocks(PhysicalMemory memory, int pageSize, ByteOrder byteOrder, long maxPages)
            throws PreservedStructureException {
        if ((flags & ~(FLAG_ALLOC | FLAG_HUGE_VMAP)) != 0) {
            throw new PreservedStructureException(Kind.UNKNOWN_FLAGS, first, String.format("kho_vmalloc flags 0x%x"
                    + " (known: ALLOC 0x1, HUGE_VMAP 0x2)", flags), null);
        }
        if (order > MAX_ORDER) {
            throw new PreservedStructureException(Kind.ORDER_OUT_OF_RANGE, first, "kho_vmalloc order " + order
                    + " exceeds " + MAX_ORDER, null);
        }
        if (totalPages > maxPages) {
            throw new PreservedStructureException(Kind.LIMIT_EXCEEDED, first, "total_pages " + totalPages
                    + " exceeds the " + maxPages + " pages the caller reads", null);
        }
        long contig = 1L << order;
        long blockSize = (long) pageSize << order;
        int perChunk = entriesPerChunk(pageSize);
        long maxChunks = totalPages / contig / perChunk + 1;
        List<Long> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long pages = 0;
        for (long chunk = first; chunk != 0; ) {
            if (!seen.add(chunk)) {
                throw new PreservedStructureException(Kind.CYCLE, chunk, "kho_vmalloc chunk list returns to this chunk",
                        null);
            }
            if (seen.size() > maxChunks) {
                throw new PreservedStructureException(Kind.TOO_LONG, chunk, "more than " + maxChunks + " chunks for "
                        + totalPages + " pages", null);
            }
            ByteBuffer page = ByteBuffer.wrap(PreservedPages.read(memory, chunk, pageSize, pageSize,
                    "kho_vmalloc chunk")).order(byteOrder);
            for (int i = 0; i < perChunk; i++) {
                long phys = page.getLong(CHUNK_HEADER + i * Long.BYTES);
                if (phys == 0) {
                    break;
                }
                long field = chunk + CHUNK_HEADER + (long) i * Long.BYTES;
                if (pages + contig > totalPages) {
                    throw new PreservedStructureException(Kind.COUNT_MISMATCH, field, "entry " + out.size()
                            + " goes past total_pages " + totalPages, null);
                }
                PreservedPages.requireRange(memory, phys, blockSize, blockSize, "kho_vmalloc block " + out.size());
                out.add(phys);
                pages += contig;
            }
            chunk = page.getLong(0);
        }
        if (pages != totalPages) {
            throw new PreservedStructureException(Kind.COUNT_MISMATCH, first, "the chunks list " + pages
                    + " pages, total_pages says " + totalPages, null);
        }
        return out;
    }

    /**
     * Reads the first {@code length} bytes of the area, after walking and checking the whole list.
     *
     * @param memory the memory the area is in
     * @param pageSize page size
     * @param byteOrder CPU byte order
     * @param length bytes to read; the area may be at most one block larger than they need
     * @return the bytes
     * @throws PreservedStructureException if the list is untrustworthy or the area is too small or too large
     */
    public byte[] read(PhysicalMemory memory, int pageSize, ByteOrder byteOrder, int length)
            throws PreservedStructureException {
        long contig = 1L << Math.min(order, MAX_ORDER);
        long needed = ((long) length + pageSize - 1) / pageSize;
        List<Long> blocks = blocks(memory, pageSize, byteOrder, (needed + contig - 1) / contig * contig);
        if (totalPages * pageSize < length) {
            throw new PreservedStructureException(Kind.COUNT_MISMATCH, first, "the area has " + totalPages
                    + " pages, too few for " + length + " bytes", null);
        }
        byte[] out = new byte[length];
        long blockSize = (long) pageSize << order;
        int done = 0;
        for (int i = 0; done < length; i++) {
            int n = (int) Math.min(blockSize, length - done);
            try {
                memory.read(blocks.get(i), out, done, n);
            } catch (PhysicalMemoryException e) {
                throw new PreservedStructureException(Kind.READ_FAILED, blocks.get(i), e.getMessage(), e);
            }
            done += n;
        }
        return out;
    }
}
