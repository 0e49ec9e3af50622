package io.kho4j.memory.internal;

import io.kho4j.abi.CompatibleString;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.memory.MemfdFile;
import io.kho4j.memory.MemfdFolio;
import io.kho4j.preserve.PreservedStructureException;
import io.kho4j.spi.KhoVmalloc;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.SubtreeWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code memfd-v1} and {@code memfd-v2} (include/linux/kho/abi/memfd.h; kho-abi.md §4, §9.6):
 * <pre>
 *   memfd-v1: struct memfd_luo_ser { u64 pos; u64 size; u64 nr_folios; struct kho_vmalloc folios; }            40 B
 *   memfd-v2: struct memfd_luo_ser { u64 pos; u64 size; u32 seals; u32 flags; u64 nr_folios; kho_vmalloc folios; } 48 B
 *   struct memfd_luo_folio_ser { u64 pfn:52; u64 flags:12; u64 index; }                                          16 B
 * </pre>
 * The struct sits in its own preserved page ({@code kho_alloc_preserve}); the LUO file's {@code data} is its
 * address. The folio array is a vmalloc area; an empty file has {@code nr_folios} 0 and a zeroed descriptor.
 */
public final class MemfdCodec {
    /** {@code sizeof(struct memfd_luo_ser)} in memfd-v1. */
    public static final int V1_SIZE = 40;
    /** {@code sizeof(struct memfd_luo_ser)} in memfd-v2. */
    public static final int V2_SIZE = 48;
    /** {@code sizeof(struct memfd_luo_folio_ser)}. */
    public static final int FOLIO_SIZE = 16;
    private static final long PFN_MASK = (1L << 52) - 1;
    /** Largest folio read: PUD-sized for 4 KiB pages; shmem uses PMD-sized folios at most. */
    private static final int MAX_FOLIO_ORDER = 18;

    private MemfdCodec() {
    }

    /** @return the struct's size for a memfd version */
    public static int size(CompatibleString version) {
        return version.equals(MemfdFile.V1) ? V1_SIZE : V2_SIZE;
    }

    /**
     * Writes one memfd: its folio array as a vmalloc area, then the struct, and asks for every folio to be preserved.
     *
     * @return the struct's physical address, the LUO file's {@code data}
     */
    public static long write(MemfdFile file, CompatibleString version, SubtreeWriter out) {
        if (version.equals(MemfdFile.V1) && (file.seals() != 0 || file.flags() != 0)) {
            throw new IllegalArgumentException("memfd-v1 (6.19 - 7.0) cannot carry seals; the file has 0x"
                    + Integer.toHexString(file.seals()));
        }
        int page = out.context().pageSize();
        requireCoverage(file, page);
        ByteOrder order = out.nativeOrder();
        try {
            long ser = out.memory().allocateFolio(0);
            KhoVmalloc folios = KhoVmalloc.NONE;
            if (!file.folios().isEmpty()) {
                ByteBuffer array = ByteBuffer.allocate(file.folios().size() * FOLIO_SIZE).order(order);
                for (MemfdFolio f : file.folios()) {
                    array.putLong(f.phys() / page | (long) f.flags() << 52).putLong(f.index());
                    out.preserveFolio(f.phys(), f.order());
                }
                folios = KhoVmalloc.write(out.memory(), array.array(), order);
            }
            ByteBuffer b = ByteBuffer.allocate(size(version)).order(order).putLong(file.pos()).putLong(file.size());
            if (version.equals(MemfdFile.V2)) {
                b.putInt(file.seals()).putInt(file.flags());
            }
            b.putLong(file.folios().size()).put(folios.encode(order));
            out.memory().write(ser, b.array());
            return ser;
        } catch (PhysicalMemoryException e) {
            throw new IllegalStateException("no memory left for a memfd: " + e.getMessage(), e);
        }
    }

    /** The kernel pins every page of the file, so folios cover [0, pages) without gaps, each naturally aligned. */
    private static void requireCoverage(MemfdFile file, int page) {
        long next = 0;
        for (MemfdFolio f : file.folios()) {
            long bytes = (long) page << f.order();
            if (f.index() != next || f.phys() % bytes != 0) {
                throw new IllegalArgumentException(String.format("memfd folio at index %d (phys 0x%x, order %d): folios"
                        + " must cover the file from index 0 without gaps, each aligned to its size", f.index(),
                        f.phys(), f.order()));
            }
            next += 1L << f.order();
        }
        long pages = (file.size() + page - 1) / page;
        if (next != pages) {
            throw new IllegalArgumentException("memfd folios cover " + next + " pages, the file has " + pages);
        }
    }

    /**
     * Reads one memfd from memory.
     *
     * @param maxFolios the most folios to accept (bounds what is read)
     */
    public static MemfdFile read(String subsystem, PhysicalMemory memory, long data, CompatibleString version,
            int page, long maxFolios) throws RestoreException {
        ByteBuffer b = ByteBuffer.wrap(Inbound.read(subsystem, memory, data, size(version), version
                + " struct memfd_luo_ser")).order(Inbound.NATIVE);
        long pos = b.getLong();
        long size = b.getLong();
        int seals = 0;
        int flags = 0;
        if (version.equals(MemfdFile.V2)) {
            seals = b.getInt();
            flags = b.getInt();
        }
        long nr = b.getLong();
        byte[] desc = new byte[KhoVmalloc.SIZE];
        b.get(desc);
        String at = String.format("memfd_luo_ser at 0x%x", data);
        if ((seals & ~MemfdFile.ALL_SEALS) != 0 || flags != 0 || pos < 0 || size < 0) {
            throw new RestoreException(subsystem, String.format("%s: seals 0x%x (known 0x%x), flags 0x%x (must be 0),"
                    + " pos %d, size %d", at, seals, MemfdFile.ALL_SEALS, flags, pos, size), null);
        }
        long pages = size / page + (size % page == 0 ? 0 : 1);
        if (nr < 0 || nr > pages || nr > maxFolios) {
            throw new RestoreException(subsystem, at + ": nr_folios " + Long.toUnsignedString(nr) + " for a file of "
                    + pages + " pages (limit " + maxFolios + ")", null);
        }
        if (nr == 0) {
            if (pages != 0) {
                throw new RestoreException(subsystem, at + ": no folios for " + pages + " pages", null);
            }
            return new MemfdFile(pos, size, seals, flags, List.of());
        }
        ByteBuffer array;
        try {
            array = ByteBuffer.wrap(KhoVmalloc.decode(desc, Inbound.NATIVE).read(memory, page, Inbound.NATIVE,
                    (int) nr * FOLIO_SIZE)).order(Inbound.NATIVE);
        } catch (PreservedStructureException e) {
            throw Inbound.wrap(subsystem, at + " folio array", e);
        }
        return new MemfdFile(pos, size, seals, flags, folios(subsystem, memory, array, (int) nr, pages, page, at));
    }

    private static List<MemfdFolio> folios(String subsystem, PhysicalMemory memory, ByteBuffer array, int nr,
            long pages, int page, String at) throws RestoreException {
        List<MemfdFolio> out = new ArrayList<>();
        for (int i = 0; i < nr; i++) {
            long word = array.getLong(i * FOLIO_SIZE);
            long index = array.getLong(i * FOLIO_SIZE + 8);
            long end = i + 1 < nr ? array.getLong((i + 1) * FOLIO_SIZE + 8) : pages;
            long pfn = word & PFN_MASK;
            int flags = (int) (word >>> 52);
            String where = at + ", folio " + i;
            if ((flags & ~(MemfdFolio.DIRTY | MemfdFolio.UPTODATE)) != 0) {
                throw new RestoreException(subsystem, where + ": flags 0x" + Integer.toHexString(flags)
                        + " (unused flag bits must be 0)", null);
            }
            long extent = end - index;
            if ((i == 0 && index != 0) || extent <= 0 || Long.bitCount(extent) != 1 || extent > 1L << MAX_FOLIO_ORDER) {
                throw new RestoreException(subsystem, where + ": index " + index + " to " + end + " is not a folio;"
                        + " folios must cover the file from index 0 in order, each a power of two of pages", null);
            }
            long phys = pfn * page;
            long bytes = extent * page;
            if (pfn == 0) {
                continue; // memfd_luo_retrieve_folios skips entries without a pfn
            }
            if (phys % bytes != 0 || !memory.isRam(phys, bytes)) {
                throw new RestoreException(subsystem, String.format("%s: folio at 0x%x (0x%x bytes) is not aligned to"
                        + " its size or not inside RAM", where, phys, bytes), null);
            }
            out.add(new MemfdFolio(phys, Long.numberOfTrailingZeros(extent), index, flags));
        }
        return out;
    }
}
