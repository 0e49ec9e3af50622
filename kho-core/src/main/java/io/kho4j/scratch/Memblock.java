package io.kho4j.scratch;

import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.List;

/**
 * memblock's top-down allocator as {@code kho_reserve_scratch} meets it ({@code memblock_find_in_range_node}
 * and {@code __memblock_find_range_top_down}, mm/memblock.c): free ranges are RAM minus reserved, searched from
 * the highest down; the first range whose clamped end leaves room gets the block at {@code round_down(end -
 * size, align)}. The lowest page is never handed out.
 */
final class Memblock {
    private final MachineDescription machine;
    private final List<PhysRange> reserved;

    Memblock(MachineDescription machine) {
        this.machine = machine;
        this.reserved = new ArrayList<>(machine.reserved());
        this.reserved.addAll(machine.kernelReserved());
    }

    /**
     * @param size bytes (0 succeeds without reserving anything, as in the kernel)
     * @param align power of two
     * @param start lowest address
     * @param end highest end, exclusive
     * @param node exact node, or -1 for any
     * @return the address, or -1 if nothing fits
     */
    long allocate(long size, long align, long start, long end, int node) {
        long low = Math.max(start, machine.pageSize().bytes());
        long high = Math.max(low, end);
        List<PhysRange> free = freeRanges(node);
        for (int i = free.size() - 1; i >= 0; i--) {
            PhysRange r = free.get(i);
            long thisStart = Math.min(Math.max(r.start(), low), high);
            long thisEnd = Math.min(Math.max(r.end(), low), high);
            if (thisEnd < size) {
                continue;
            }
            long candidate = (thisEnd - size) & -align;
            if (candidate >= thisStart) {
                if (size > 0) {
                    reserved.add(new PhysRange(candidate, size));
                }
                return candidate;
            }
        }
        return -1;
    }

    private List<PhysRange> freeRanges(int node) {
        List<PhysRange> sortedReserved = new ArrayList<>(reserved);
        sortedReserved.sort(null);
        List<PhysRange> out = new ArrayList<>();
        for (MemoryBank bank : machine.banks()) {
            if (node >= 0 && bank.node() != node) {
                continue;
            }
            long cursor = bank.range().start();
            for (PhysRange r : sortedReserved) {
                if (r.end() <= cursor || r.start() >= bank.range().end()) {
                    continue;
                }
                if (r.start() > cursor) {
                    out.add(PhysRange.ofEnd(cursor, r.start()));
                }
                cursor = Math.max(cursor, r.end());
            }
            if (cursor < bank.range().end()) {
                out.add(PhysRange.ofEnd(cursor, bank.range().end()));
            }
        }
        return out;
    }
}
