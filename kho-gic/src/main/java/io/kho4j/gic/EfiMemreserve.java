package io.kho4j.gic;

import io.kho4j.gic.internal.GicConstants;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The upstream way LPI tables survive kexec (kho-abi.md §6): the EFI configuration table
 * {@code LINUX_EFI_MEMRESERVE_TABLE_GUID} points at a root {@code struct linux_efi_memreserve} that the EFI stub
 * installs empty ({@code install_memreserve_table}: size 0, count 0, next 0); {@code efi_mem_reserve_persistent()}
 * (drivers/firmware/efi/efi.c) fills blocks of {@code EFI_MEMRESERVE_COUNT(SZ_4K)} = 255 entries and links each new
 * block in right after the root; every boot, {@code efi_config_parse_tables()} walks from the root and
 * {@code memblock_reserve}s each block and each of its {@code count} entries. The GIC driver reserves the property
 * table ({@code LPI_PROPBASE_SZ}) and each CPU's pending table ({@code LPI_PENDBASE_SZ}) this way
 * ({@code gic_reserve_range}, drivers/irqchip/irq-gic-v3-its.c); ITS tables are not reserved, the successor
 * reprograms the ITS.
 *
 * <p>Layout (x86-64 and arm64, little-endian): {@code int size} at 0, {@code atomic_t count} at 4,
 * {@code phys_addr_t next} at 8, then {@code {phys_addr_t base, size}} entries of 16 bytes from 16.
 */
public final class EfiMemreserve {
    /** {@code LINUX_EFI_MEMRESERVE_TABLE_GUID} (include/linux/efi.h). */
    public static final String TABLE_GUID = "888eb0c6-8ede-4ff5-a8f0-9aee5cb977c2";
    /** {@code EFI_MEMRESERVE_COUNT(SZ_4K)}: entries per block efi_mem_reserve_persistent() allocates. */
    public static final int ENTRIES_PER_BLOCK = count(GicConstants.MEMRESERVE_BLOCK_BYTES);
    /** Default cap on blocks walked: 65,536 blocks of 255 entries is far beyond any real list. */
    public static final int DEFAULT_MAX_BLOCKS = 1 << 16;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private EfiMemreserve() {
    }

    /**
     * @param allocationBytes bytes allocated for a struct, at least the 16-byte header
     * @return {@code EFI_MEMRESERVE_COUNT(size)}: how many entries fit after the header
     */
    public static int count(int allocationBytes) {
        if (allocationBytes < GicConstants.MEMRESERVE_HEADER_BYTES) {
            throw new IllegalArgumentException(allocationBytes + " bytes cannot hold the memreserve header");
        }
        return (allocationBytes - GicConstants.MEMRESERVE_HEADER_BYTES) / GicConstants.MEMRESERVE_ENTRY_BYTES;
    }

    /**
     * @param state GIC tables
     * @return what the kernel passes to {@code efi_mem_reserve_persistent()} for them, in its order: the property
     *     table at ITS init, then each CPU's pending table as it comes online
     */
    public static List<PhysRange> reservations(GicState state) {
        List<PhysRange> out = new ArrayList<>();
        out.add(state.propertyTable().range());
        state.pendingTables().forEach(p -> out.add(p.range()));
        return out;
    }

    /**
     * @param reservations number of {@code efi_mem_reserve_persistent()} calls
     * @return blocks they need beyond the root
     */
    public static int blocksNeeded(int reservations) {
        return (reservations + ENTRIES_PER_BLOCK - 1) / ENTRIES_PER_BLOCK;
    }

    /**
     * Encodes one struct.
     *
     * @param block the struct
     * @return {@code 16 + 16 * size} bytes: header, used entries, then zeroed unused entries
     */
    public static byte[] encode(EfiMemreserveBlock block) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(block.footprint().size())).order(LE);
        b.putInt(GicConstants.MEMRESERVE_SIZE_OFFSET, block.size());
        b.putInt(GicConstants.MEMRESERVE_COUNT_OFFSET, block.count());
        b.putLong(GicConstants.MEMRESERVE_NEXT_OFFSET, block.next());
        int at = GicConstants.MEMRESERVE_HEADER_BYTES;
        for (PhysRange e : block.entries()) {
            b.putLong(at, e.start()).putLong(at + 8, e.size());
            at += GicConstants.MEMRESERVE_ENTRY_BYTES;
        }
        return b.array();
    }

    /**
     * Builds the list as a kernel would after calling {@code efi_mem_reserve_persistent()} once per reservation,
     * in order, starting from the empty root: each call takes a free slot in the first block with one, or else
     * links a new block (next free address of {@code blocks}) right after the root.
     *
     * @param root address of the root struct (16 bytes, 8-byte aligned)
     * @param blocks addresses for new blocks, 4 KiB aligned, exactly {@link #blocksNeeded} of them, used in order
     * @param reservations the reserved ranges
     * @return the structs in list order, root first
     * @throws IllegalArgumentException for a misaligned address or a wrong number of blocks
     */
    public static List<EfiMemreserveBlock> build(long root, List<Long> blocks, List<PhysRange> reservations) {
        if ((root & 7) != 0) {
            throw new IllegalArgumentException(String.format("root 0x%x is not 8-byte aligned", root));
        }
        if (blocks.size() != blocksNeeded(reservations.size())) {
            throw new IllegalArgumentException(reservations.size() + " reservations need "
                    + blocksNeeded(reservations.size()) + " blocks, not " + blocks.size());
        }
        // list order after the root: the newest block first, each full except the newest
        List<Long> chain = new ArrayList<>();
        List<List<PhysRange>> contents = new ArrayList<>();
        for (PhysRange r : reservations) {
            List<PhysRange> open = null;
            for (List<PhysRange> c : contents) {
                if (c.size() < ENTRIES_PER_BLOCK) {
                    open = c;
                    break;
                }
            }
            if (open == null) {
                long a = blocks.get(chain.size());
                if ((a & (GicConstants.MEMRESERVE_BLOCK_BYTES - 1)) != 0) {
                    throw new IllegalArgumentException(String.format("block 0x%x is not 4 KiB aligned", a));
                }
                chain.add(0, a);
                open = new ArrayList<>();
                contents.add(0, open);
            }
            open.add(r);
        }
        List<EfiMemreserveBlock> out = new ArrayList<>();
        out.add(new EfiMemreserveBlock(root, 0, chain.isEmpty() ? 0 : chain.get(0), List.of()));
        for (int i = 0; i < chain.size(); i++) {
            out.add(new EfiMemreserveBlock(chain.get(i), ENTRIES_PER_BLOCK, i + 1 < chain.size() ? chain.get(i + 1) : 0,
                    contents.get(i)));
        }
        return out;
    }

    /**
     * Writes each struct of a list into memory.
     *
     * @param memory where
     * @param list the structs, as {@link #build} returns them
     * @throws PhysicalMemoryException if a struct is not in RAM
     */
    public static void write(PhysicalMemory memory, List<EfiMemreserveBlock> list) throws PhysicalMemoryException {
        for (EfiMemreserveBlock b : list) {
            memory.write(b.address(), encode(b));
        }
    }

    /**
     * Walks the list as {@code efi_config_parse_tables()} does, with the checks the kernel leaves out.
     *
     * @param memory the memory
     * @param root the configuration table's address
     * @param pageSize the successor's page size: the kernel maps one page per struct, so a struct must not cross it
     * @return the structs in list order, root first
     * @throws EfiMemreserveException for a malformed list; see {@link #read(PhysicalMemory, long, int, int)}
     */
    public static List<EfiMemreserveBlock> read(PhysicalMemory memory, long root, int pageSize)
            throws EfiMemreserveException {
        return read(memory, root, pageSize, DEFAULT_MAX_BLOCKS);
    }

    /**
     * @param memory the memory
     * @param root the configuration table's address
     * @param pageSize the successor's page size (a power of two, at least 4096)
     * @param maxBlocks most structs to walk
     * @return the structs in list order, root first
     * @throws EfiMemreserveException naming the address, for: a struct not in RAM or not 8-byte aligned, a negative
     *     size, a struct crossing the page it starts in, a count below 0 or above size, an empty or wrapping
     *     entry, a {@code next} seen before (a cycle), or more than {@code maxBlocks} structs
     */
    public static List<EfiMemreserveBlock> read(PhysicalMemory memory, long root, int pageSize, int maxBlocks)
            throws EfiMemreserveException {
        if (pageSize < 4096 || Integer.bitCount(pageSize) != 1 || maxBlocks < 1) {
            throw new IllegalArgumentException("page size " + pageSize + ", max blocks " + maxBlocks);
        }
        List<EfiMemreserveBlock> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long at = root;
        while (at != 0) {
            if (out.size() == maxBlocks) {
                throw new EfiMemreserveException(at, "more than " + maxBlocks + " blocks; raise the limit if the list"
                        + " is genuine", null);
            }
            if (!seen.add(at)) {
                throw new EfiMemreserveException(at, "next points back at a block already walked (a cycle)", null);
            }
            EfiMemreserveBlock b = readBlock(memory, at, pageSize);
            out.add(b);
            at = b.next();
        }
        return out;
    }

    private static EfiMemreserveBlock readBlock(PhysicalMemory memory, long at, int pageSize)
            throws EfiMemreserveException {
        if ((at & 7) != 0) {
            throw new EfiMemreserveException(at, "struct is not 8-byte aligned", null);
        }
        ByteBuffer header = ByteBuffer.wrap(readRam(memory, at, GicConstants.MEMRESERVE_HEADER_BYTES)).order(LE);
        int size = header.getInt(GicConstants.MEMRESERVE_SIZE_OFFSET);
        int count = header.getInt(GicConstants.MEMRESERVE_COUNT_OFFSET);
        long next = header.getLong(GicConstants.MEMRESERVE_NEXT_OFFSET);
        if (size < 0) {
            throw new EfiMemreserveException(at + GicConstants.MEMRESERVE_SIZE_OFFSET, "size " + size + " is negative",
                    null);
        }
        long bytes = GicConstants.MEMRESERVE_HEADER_BYTES + (long) size * GicConstants.MEMRESERVE_ENTRY_BYTES;
        if ((at & (pageSize - 1)) + bytes > pageSize) {
            throw new EfiMemreserveException(at + GicConstants.MEMRESERVE_SIZE_OFFSET, "size " + size + " makes the"
                    + " struct (" + bytes + " bytes) cross its " + pageSize + "-byte page, the one the kernel maps",
                    null);
        }
        if (count < 0 || count > size) {
            throw new EfiMemreserveException(at + GicConstants.MEMRESERVE_COUNT_OFFSET, "count " + count
                    + " is outside 0.." + size, null);
        }
        ByteBuffer entries = ByteBuffer.wrap(readRam(memory, at + GicConstants.MEMRESERVE_HEADER_BYTES,
                count * GicConstants.MEMRESERVE_ENTRY_BYTES)).order(LE);
        List<PhysRange> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long base = entries.getLong(i * GicConstants.MEMRESERVE_ENTRY_BYTES);
            long len = entries.getLong(i * GicConstants.MEMRESERVE_ENTRY_BYTES + 8);
            if (base < 0 || len <= 0 || base > Long.MAX_VALUE - len) {
                throw new EfiMemreserveException(at + GicConstants.MEMRESERVE_HEADER_BYTES
                        + (long) i * GicConstants.MEMRESERVE_ENTRY_BYTES, String.format("entry %d {base 0x%x, size"
                        + " 0x%x} is empty or wraps", i, base, len), null);
            }
            list.add(new PhysRange(base, len));
        }
        return new EfiMemreserveBlock(at, size, next, list);
    }

    private static byte[] readRam(PhysicalMemory memory, long at, int length) throws EfiMemreserveException {
        try {
            return memory.read(at, length);
        } catch (PhysicalMemoryException e) {
            throw new EfiMemreserveException(at, length + " bytes here are not readable RAM", e);
        }
    }
}
