package io.kho4j.spi.internal;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.Preservation;
import io.kho4j.spi.PreservedAllocator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Top-down, naturally aligned folio allocation over free ranges minus exclusions. Each allocation lowers a
 * per-range ceiling, so the cost is linear in ranges and exclusions, not in memory size.
 */
public final class FolioAllocator implements PreservedAllocator {
    private final PhysicalMemory memory;
    private final int pageSize;
    private final List<PhysRange> free;
    private final List<PhysRange> excluded;
    private final long[] ceiling;
    private final List<Preservation> allocations = new ArrayList<>();
    private final TreeMap<Long, PhysRange> byStart = new TreeMap<>();
    /** Zero-filling goes in slices so a large folio does not need a buffer of its size. */
    private static final int ZERO_SLICE = 1 << 20;

    private final boolean zeroFill;

    /**
     * @param memory where folios are
     * @param pageSize page size in bytes
     * @param free ranges to allocate from, searched top-down
     * @param excluded ranges never handed out
     */
    public FolioAllocator(PhysicalMemory memory, int pageSize, List<PhysRange> free, List<PhysRange> excluded) {
        this(memory, pageSize, free, excluded, true);
    }

    /**
     * @param memory where folios are
     * @param pageSize page size in bytes
     * @param free ranges to allocate from, searched top-down
     * @param excluded ranges never handed out
     * @param zeroFill false when {@code memory} reads as zero wherever nothing was written (a new sparse image):
     *     writing zeros would only make a sparse image dense
     */
    public FolioAllocator(PhysicalMemory memory, int pageSize, List<PhysRange> free, List<PhysRange> excluded,
            boolean zeroFill) {
        if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two: " + pageSize);
        }
        this.memory = memory;
        this.pageSize = pageSize;
        this.zeroFill = zeroFill;
        List<PhysRange> sorted = new ArrayList<>(free);
        Collections.sort(sorted);
        this.free = List.copyOf(sorted);
        this.excluded = List.copyOf(excluded);
        this.ceiling = new long[sorted.size()];
        for (int i = 0; i < ceiling.length; i++) {
            ceiling[i] = sorted.get(i).end();
        }
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public long allocateFolio(int order) throws PhysicalMemoryException {
        if (order < 0 || order > 30) {
            throw new IllegalArgumentException("folio order " + order + " is out of range 0..30");
        }
        long size = (long) pageSize << order;
        for (int i = free.size() - 1; i >= 0; i--) {
            long start = Math.floorDiv(ceiling[i] - size, size) * size;
            while (start >= free.get(i).start()) {
                PhysRange candidate = new PhysRange(start, size);
                PhysRange clash = firstClash(candidate);
                if (clash == null) {
                    ceiling[i] = start;
                    if (zeroFill) {
                        zero(candidate);
                    }
                    allocations.add(new Preservation(candidate, order));
                    byStart.put(start, candidate);
                    return start;
                }
                start = Math.floorDiv(clash.start() - size, size) * size;
            }
        }
        throw new PhysicalMemoryException(0, "no free " + size + "-byte folio outside scratch and other"
                + " allocations is left", null);
    }

    /**
     * Allocates a folio just big enough for {@code bytes}.
     *
     * @param bytes at least 1
     * @return the range, {@code bytes} rounded up to whole pages, at the folio's start
     * @throws PhysicalMemoryException if no folio is left
     */
    public PhysRange allocateRange(long bytes) throws PhysicalMemoryException {
        if (bytes < 1) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        long phys = allocateFolio(orderFor(bytes));
        return new PhysRange(phys, (bytes + pageSize - 1) / pageSize * pageSize);
    }

    /** Earlier folios all lie above the range's ceiling, so only exclusions can clash. */
    private PhysRange firstClash(PhysRange candidate) {
        for (PhysRange x : excluded) {
            if (x.overlaps(candidate)) {
                return x;
            }
        }
        return null;
    }

    private void zero(PhysRange r) throws PhysicalMemoryException {
        byte[] zeros = new byte[(int) Math.min(r.size(), ZERO_SLICE)];
        for (long at = r.start(); at < r.end(); at += zeros.length) {
            memory.write(at, zeros, 0, (int) Math.min(zeros.length, r.end() - at));
        }
    }

    @Override
    public void write(long phys, byte[] data) throws PhysicalMemoryException {
        Map.Entry<Long, PhysRange> e = byStart.floorEntry(phys);
        if (e != null && phys <= e.getValue().end() - data.length) {
            memory.write(phys, data);
            return;
        }
        throw new PhysicalMemoryException(phys, data.length + " bytes here were not allocated by this allocator", null);
    }

    @Override
    public List<Preservation> allocations() {
        return List.copyOf(allocations);
    }
}
