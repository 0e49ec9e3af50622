package io.kho4j.memory;

import io.kho4j.abi.CompatibleString;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.spi.PreservedAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * A preserved memfd ({@code struct memfd_luo_ser}, kho-abi.md §4, §9.6): position, size, seals and file flags
 * ({@code memfd-v2}, 7.1+; {@code memfd-v1}, 6.19 – 7.0, has neither), and the folios holding its contents in
 * physical memory, covering every page of the file in index order.
 *
 * @param pos the file position ({@code f_pos})
 * @param size the file size in bytes ({@code i_size})
 * @param seals {@code F_SEAL_*} bits, a subset of {@link #ALL_SEALS}; 0 for {@code memfd-v1}
 * @param flags file flags; no flag is defined yet, so 0 ("unused flag bits must be set to 0")
 * @param folios the folios in index order
 */
public record MemfdFile(long pos, long size, int seals, int flags, List<MemfdFolio> folios) implements LuoFileData {
    /** {@code MEMFD_LUO_FH_COMPATIBLE} of 6.19 – 7.0. */
    public static final CompatibleString V1 = CompatibleString.of("memfd-v1");
    /** {@code MEMFD_LUO_FH_COMPATIBLE} from 7.1: adds seals and flags. */
    public static final CompatibleString V2 = CompatibleString.of("memfd-v2");
    /**
     * {@code MEMFD_LUO_ALL_SEALS}: F_SEAL_SEAL 0x1 | SHRINK 0x2 | GROW 0x4 | WRITE 0x8 | FUTURE_WRITE 0x10 | EXEC 0x20.
     */
    public static final int ALL_SEALS = 0x3f;

    /** @throws IllegalArgumentException for unknown seals or flags, or a negative position or size */
    public MemfdFile {
        folios = List.copyOf(folios);
        if ((seals & ~ALL_SEALS) != 0 || flags != 0 || pos < 0 || size < 0) {
            throw new IllegalArgumentException(String.format("memfd pos=%d size=%d seals=0x%x flags=0x%x", pos, size,
                    seals, flags));
        }
    }

    /**
     * Places {@code content} in order-0 folios from {@code memory}, as a memfd whose every page was written:
     * "memfd content as folios in memory".
     *
     * @param memory where the folios go
     * @param content the file's bytes
     * @param pos the file position
     * @param seals the seals
     * @return the file
     * @throws PhysicalMemoryException if memory runs out
     */
    public static MemfdFile place(PreservedAllocator memory, byte[] content, long pos, int seals)
            throws PhysicalMemoryException {
        int page = memory.pageSize();
        List<MemfdFolio> folios = new ArrayList<>();
        for (int at = 0; at < content.length; at += page) {
            long phys = memory.allocateFolio(0);
            byte[] slice = new byte[Math.min(page, content.length - at)];
            System.arraycopy(content, at, slice, 0, slice.length);
            memory.write(phys, slice);
            folios.add(new MemfdFolio(phys, 0, at / page, MemfdFolio.DIRTY | MemfdFolio.UPTODATE));
        }
        return new MemfdFile(pos, content.length, seals, 0, folios);
    }

    /**
     * Reads the file's contents from its folios.
     *
     * @param memory the memory the folios are in
     * @param pageSize page size
     * @return the first {@link #size()} bytes
     * @throws PhysicalMemoryException if a folio is not readable
     * @throws IllegalStateException if the file is larger than a Java array or its folios do not cover it
     */
    public byte[] read(PhysicalMemory memory, int pageSize) throws PhysicalMemoryException {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("memfd of " + size + " bytes does not fit one array");
        }
        byte[] out = new byte[(int) size];
        for (MemfdFolio f : folios) {
            long from = f.index() * pageSize;
            long len = Math.min((long) pageSize << f.order(), size - from);
            if (from >= size || len <= 0) {
                throw new IllegalStateException("folio at index " + f.index() + " lies past the end of the file");
            }
            memory.read(f.phys(), out, (int) from, (int) len);
        }
        return out;
    }
}
