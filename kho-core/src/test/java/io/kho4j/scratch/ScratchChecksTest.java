package io.kho4j.scratch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapFormat;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import io.kho4j.preserve.PreservedMemoryMap;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScratchChecksTest {
    private static final PageSize P4K = PageSize.KIB_4;
    private static final long M = 1L << 20;
    private static final long G = 1L << 30;

    @Test
    void preservedBlocksInScratchAreReported() {
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K).addBlock(0x7e200000, 9).addBlock(8 * G, 0).build();
        List<ScratchArea> areas = List.of(new ScratchArea(ScratchArea.Role.LOWMEM, -1, 0x7e000000L, 16 * M),
                new ScratchArea(ScratchArea.Role.GLOBAL, -1, 4 * G, 0),
                new ScratchArea(ScratchArea.Role.NODE, 0, 9 * G, G));
        List<ScratchFinding> f = ScratchChecks.preservedOutsideScratch(map, areas);
        assertEquals(1, f.size());
        assertEquals(ScratchFinding.Kind.PRESERVED_IN_SCRATCH, f.get(0).kind());
        assertEquals(new PhysRange(0x7e200000, 2 * M), f.get(0).range());
    }

    @Test
    void kernelInitrdAndArrayArePlacedInScratchOrReported() {
        List<ScratchArea> areas = List.of(new ScratchArea(ScratchArea.Role.LOWMEM, -1, 0x7e000000L, 16 * M),
                new ScratchArea(ScratchArea.Role.GLOBAL, -1, 0x3dfe00000L, 512 * M));
        KexecSegments.Result r = KexecSegments.place(areas, List.of(
                new KexecSegments.Request("kernel", 12 * M, 2 * M, M, true),
                new KexecSegments.Request("initrd", 8 * M, 4096, 16 * M, true),
                KexecSegments.Request.scratchArray(4),
                new KexecSegments.Request("huge initrd", G, 4096, 0, true)), P4K);
        assertEquals(new PhysRange(0x7e400000L, 12 * M), r.placements().get(0).range(), "top of lowmem");
        assertEquals(new PhysRange(0x3dfe00000L + 504 * M, 8 * M), r.placements().get(1).range(),
                "no room left in lowmem: top of global");
        assertEquals(new PhysRange(0x7e3f0000L, 4096), r.placements().get(2).range(),
                "64 KiB aligned, stepped down below the kernel");
        assertEquals(1, r.findings().size());
        assertEquals(ScratchFinding.Kind.SEGMENT_DOES_NOT_FIT, r.findings().get(0).kind());
        assertTrue(r.findings().get(0).message().startsWith("huge initrd"), r.findings().get(0).message());
    }

    @Test
    void bottomUpSegmentsStartAtTheLowestAlignedFreeAddress() {
        List<ScratchArea> areas = List.of(new ScratchArea(ScratchArea.Role.LOWMEM, -1, 0x7e000000L + 4096, 16 * M));
        KexecSegments.Result r = KexecSegments.place(areas, List.of(
                new KexecSegments.Request("a", 3 * M, 2 * M, 0, false),
                new KexecSegments.Request("b", 100, 4096, 0, false)), P4K);
        assertEquals(new PhysRange(0x7e200000L, 3 * M), r.placements().get(0).range(), "aligned up past the start");
        assertEquals(new PhysRange(0x7e000000L + 4096, 4096), r.placements().get(1).range(), "below a, page-sized");
        assertTrue(r.findings().isEmpty());
    }

    @Test
    void everyGibTheSuccessorReadsMustHoldAPreservedBlockOrATablePage() {
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K).addBlock(4 * G, 0).build();
        List<ScratchFinding> f = ScratchChecks.extendedScratch(map, List.of(6 * G), List.of(
                new PhysRange(4 * G, 4096),              // preserved: fine
                new PhysRange(4 * G + 8192, 4096),       // not preserved, but its GiB is busy
                new PhysRange(5 * G + 4096, 4096),       // not preserved, GiB 5 holds nothing
                new PhysRange(6 * G, 4096)));            // a table page itself
        assertEquals(3, f.size(), f.toString());
        assertEquals(ScratchFinding.Kind.NOT_PRESERVED, f.get(0).kind());
        assertEquals(new PhysRange(4 * G + 8192, 4096), f.get(0).range());
        assertEquals(ScratchFinding.Kind.NOT_PRESERVED, f.get(1).kind());
        assertEquals(ScratchFinding.Kind.UNPROTECTED_GIB, f.get(2).kind());
        assertEquals(new PhysRange(5 * G, G), f.get(2).range());
    }

    @Test
    void aRadixLeafAloneInItsGibIsReportedWhenTheTreeIsWalked() throws Exception {
        PhysicalMemory memory = new PageMemory(16 * G);
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K).addBlock(4 * G, 0).build();
        // root and the four tables in GiB 7, the leaf alone in GiB 9
        Deque<Long> pages = new ArrayDeque<>(List.of(7 * G, 7 * G + 0x1000, 7 * G + 0x2000, 7 * G + 0x3000,
                7 * G + 0x4000, 9 * G));
        MemoryMapCodec codec = MemoryMapCodec.of(MemoryMapFormat.RADIX, P4K);
        long root = codec.encode(map, memory, pages::removeFirst);
        List<ScratchFinding> f = ScratchChecks.extendedScratch(memory, codec, root,
                List.of(new PhysRange(4 * G, 4096)));
        assertEquals(2, f.size(), f.toString());
        assertEquals(ScratchFinding.Kind.NOT_PRESERVED, f.get(0).kind());
        assertEquals(new PhysRange(9 * G, 4096), f.get(0).range());
        assertEquals(ScratchFinding.Kind.UNPROTECTED_GIB, f.get(1).kind());
        assertEquals(new PhysRange(9 * G, G), f.get(1).range());
    }

    /** Memory over a large range that keeps only written pages. */
    private static final class PageMemory implements PhysicalMemory {
        private final long size;
        private final Map<Long, byte[]> pages = new HashMap<>();

        PageMemory(long size) {
            this.size = size;
        }

        @Override
        public List<PhysRange> ram() {
            return List.of(new PhysRange(0, size));
        }

        @Override
        public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
            byte[] page = pages.get(phys & -4096L);
            for (int i = 0; i < length; i++) {
                dst[offset + i] = page == null ? 0 : page[(int) ((phys + i) & 4095)];
            }
        }

        @Override
        public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
            byte[] page = pages.computeIfAbsent(phys & -4096L, k -> new byte[4096]);
            System.arraycopy(src, offset, page, (int) (phys & 4095), length);
        }
    }
}
