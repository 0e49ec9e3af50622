package io.kho4j.memory;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PageSize;
import io.kho4j.spi.PreservedAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * lib/test_kho.c's state (kho-abi.md §7): folios of random orders filled with random bytes, and the running
 * {@code csum_partial} over them in order. A successor passes the kernel's test when every folio comes back with
 * its order and the checksum over them matches ({@link #verify}).
 *
 * @param folios the folios in order, at least one
 * @param csum the checksum ({@code __wsum}) as written
 */
public record KhoTestState(List<KhoTestFolio> folios, int csum) {
    /** @throws IllegalArgumentException without folios (the kernel always allocates some) */
    public KhoTestState {
        folios = List.copyOf(folios);
        if (folios.isEmpty()) {
            throw new IllegalArgumentException("test_kho always has at least one folio");
        }
    }

    /**
     * Does what {@code kho_test_generate_data} does on a first boot: allocates folios of random order
     * ({@code get_random_u32() % NR_PAGE_ORDERS}, shrunk so the total stays within {@code maxMem}), fills them with
     * random bytes and checksums them.
     *
     * @param memory where the folios go
     * @param random the random source (the kernel's is not reproducible; a seeded one is)
     * @param maxMem bytes to fill, {@code max_mem}; the kernel's default is {@link #defaultMaxMem}
     * @param arch the checksum the successor computes
     * @return the state
     * @throws PhysicalMemoryException if memory runs out
     */
    public static KhoTestState generate(PreservedAllocator memory, SplittableRandom random, long maxMem,
            CsumPartial.Arch arch) throws PhysicalMemoryException {
        int page = memory.pageSize();
        int orders = maxPageOrder(page) + 1;
        long limit = (maxMem + page - 1) / page * page;
        long allocated = 0;
        int csum = 0;
        List<KhoTestFolio> folios = new ArrayList<>();
        while (allocated < limit) {
            int order = random.nextInt(orders);
            if (allocated + ((long) page << order) > limit) {
                order = getOrder(limit - allocated, page);
                if (order > 0) {
                    order--;
                }
            }
            int size = page << order;
            long phys = memory.allocateFolio(order);
            byte[] data = new byte[size];
            random.nextBytes(data);
            memory.write(phys, data);
            csum = CsumPartial.csumPartial(arch, data, 0, size, csum);
            folios.add(new KhoTestFolio(phys, order));
            allocated += size;
        }
        return new KhoTestState(folios, csum);
    }

    /** @param pageSize page size @return {@code (PAGE_SIZE << MAX_PAGE_ORDER) * 2}, test_kho's default max_mem */
    public static long defaultMaxMem(int pageSize) {
        return ((long) pageSize << maxPageOrder(pageSize)) * 2;
    }

    private static int maxPageOrder(int pageSize) {
        for (PageSize p : PageSize.values()) {
            if (p.bytes() == pageSize) {
                return p.defaultMaxPageOrder();
            }
        }
        throw new IllegalArgumentException("page size " + pageSize);
    }

    /** {@code get_order(size)}: the smallest order whose folio holds {@code size} bytes. */
    private static int getOrder(long size, int page) {
        long pages = (size + page - 1) / page;
        return pages <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(pages - 1);
    }

    /**
     * Recomputes the checksum as {@code kho_test_restore_data} does, over every folio in order.
     *
     * @param memory the memory the folios are in
     * @param pageSize page size
     * @param arch the successor's {@code csum_partial}
     * @return the checksum of the folios as they are now
     * @throws PhysicalMemoryException if a folio is not readable
     */
    public int checksum(PhysicalMemory memory, int pageSize, CsumPartial.Arch arch) throws PhysicalMemoryException {
        int sum = 0;
        for (KhoTestFolio f : folios) {
            sum = CsumPartial.csumPartial(arch, memory.read(f.phys(), pageSize << f.order()), 0, pageSize << f.order(),
                    sum);
        }
        return sum;
    }

    /**
     * @param memory the memory the folios are in
     * @param pageSize page size
     * @param arch the successor's {@code csum_partial}
     * @return whether the kernel's test would print "KHO restore succeeded"
     * @throws PhysicalMemoryException if a folio is not readable
     */
    public boolean verify(PhysicalMemory memory, int pageSize, CsumPartial.Arch arch) throws PhysicalMemoryException {
        return checksum(memory, pageSize, arch) == csum;
    }
}
