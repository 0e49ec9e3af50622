package io.kho4j.scratch;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.MapPageVisitor;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapFormatException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.preserve.PreservedBlock;
import io.kho4j.preserve.PreservedMemoryMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Producer-side checks of a handover against its scratch areas; each returns findings, empty when all is well. */
public final class ScratchChecks {
    /**
     * 7.3's extended-scratch granule: "Look for free blocks of 1G", {@code KHO_EXT_SHIFT} (kho-abi.md §9.5).
     */
    public static final long EXTENDED_SCRATCH_BLOCK = 1L << 30;

    private ScratchChecks() {
    }

    /**
     * Preserved memory must never lie in scratch: the successor allocates from scratch before it has read the map,
     * and later kernels refuse such preservations ({@code kho_scratch_overlap}).
     *
     * @param map preserved blocks
     * @param areas scratch areas
     * @return one finding per area that holds a preserved block, naming the lowest such block
     */
    public static List<ScratchFinding> preservedOutsideScratch(PreservedMemoryMap map, List<ScratchArea> areas) {
        List<ScratchFinding> out = new ArrayList<>();
        for (ScratchArea area : areas) {
            if (area.size() == 0) {
                continue;
            }
            PhysRange range = new PhysRange(area.address(), area.size());
            Optional<PreservedBlock> hit = map.firstIntersecting(range);
            hit.ifPresent(b -> out.add(new ScratchFinding(ScratchFinding.Kind.PRESERVED_IN_SCRATCH,
                    b.range(map.pageSize()), String.format("preserved block %s lies in the %s scratch area %s",
                            b, area.label(), range))));
        }
        return out;
    }

    /**
     * The 7.3+ producer rules of kho-abi.md §9.5. The successor marks every 1 GiB block that holds neither a
     * preserved block nor a radix table page as free memory while it still runs from scratch, so every page it
     * must read (root FDT, sub-blobs, LUO blocks, vmalloc chunks) has to be a preserved block itself, and every
     * 1 GiB block it reads from has to stay busy.
     *
     * @param map preserved blocks
     * @param tablePages addresses of radix table pages (busy, though not preserved)
     * @param mustRead what the successor reads before it has restored everything
     * @return {@link ScratchFinding.Kind#NOT_PRESERVED} per unpreserved stretch, {@link
     *     ScratchFinding.Kind#UNPROTECTED_GIB} per 1 GiB block left free
     */
    public static List<ScratchFinding> extendedScratch(PreservedMemoryMap map, Collection<Long> tablePages,
            Collection<PhysRange> mustRead) {
        long pageBytes = map.pageSize().bytes();
        Set<Long> tables = new HashSet<>(tablePages);
        Set<Long> busyGib = new HashSet<>();
        for (long page : tables) {
            busyGib.add(page / EXTENDED_SCRATCH_BLOCK);
        }
        List<ScratchFinding> out = new ArrayList<>();
        Set<Long> reported = new HashSet<>();
        for (PhysRange range : mustRead) {
            for (PhysRange gap : gaps(map, range)) {
                long page = gap.start() & -pageBytes;
                while (page < gap.end() && tables.contains(page)) {
                    page += pageBytes;
                }
                if (page < gap.end()) {
                    out.add(new ScratchFinding(ScratchFinding.Kind.NOT_PRESERVED, gap, String.format(
                            "%s is read by the successor but not preserved; 7.3+ kernels may reuse it before "
                                    + "reading it", gap)));
                }
            }
            for (long gib = range.start() / EXTENDED_SCRATCH_BLOCK; gib <= (range.end() - 1) / EXTENDED_SCRATCH_BLOCK;
                    gib++) {
                PhysRange block = new PhysRange(gib * EXTENDED_SCRATCH_BLOCK, EXTENDED_SCRATCH_BLOCK);
                if (!busyGib.contains(gib) && map.firstIntersecting(block).isEmpty() && reported.add(gib)) {
                    out.add(new ScratchFinding(ScratchFinding.Kind.UNPROTECTED_GIB, block, String.format(
                            "the successor reads %s but the 1 GiB block %s holds no preserved page and no radix "
                                    + "table page, so 7.3+ kernels hand it out as free memory", range, block)));
                }
            }
        }
        return out;
    }

    /**
     * Runs {@link #extendedScratch(PreservedMemoryMap, Collection, Collection)} on a map in memory, walking it as
     * the successor would: radix table pages count as busy, radix leaves are added to what must be read.
     *
     * @param memory physical memory
     * @param codec the map's codec
     * @param root the {@code preserved-memory-map} value
     * @param mustRead what else the successor reads
     * @return the findings
     * @throws MemoryMapFormatException if the map cannot be decoded
     */
    public static List<ScratchFinding> extendedScratch(PhysicalMemory memory, MemoryMapCodec codec, long root,
            Collection<PhysRange> mustRead) throws MemoryMapFormatException {
        List<Long> tables = new ArrayList<>();
        List<PhysRange> reads = new ArrayList<>(mustRead);
        PreservedMemoryMap map = codec.decode(memory, root, (phys, length, kind) -> {
            if (kind == MapPageVisitor.Kind.RADIX_TABLE) {
                tables.add(phys);
            } else if (kind == MapPageVisitor.Kind.RADIX_LEAF) {
                reads.add(new PhysRange(phys, length));
            }
        });
        return extendedScratch(map, tables, reads);
    }

    /** @return the parts of {@code range} no preserved block covers */
    private static List<PhysRange> gaps(PreservedMemoryMap map, PhysRange range) {
        List<PhysRange> out = new ArrayList<>();
        long cursor = range.start();
        while (cursor < range.end()) {
            Optional<PreservedBlock> next = map.firstIntersecting(PhysRange.ofEnd(cursor, range.end()));
            if (next.isEmpty()) {
                out.add(PhysRange.ofEnd(cursor, range.end()));
                break;
            }
            PhysRange block = next.get().range(map.pageSize());
            if (block.start() > cursor) {
                out.add(PhysRange.ofEnd(cursor, block.start()));
            }
            cursor = block.end();
        }
        return out;
    }
}
