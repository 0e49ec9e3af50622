package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.host.PhysicalMemoryException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BumpPageAllocatorTest {
    @Test
    void handsOutAscendingPagesAndStepsOverExcludedRanges() throws Exception {
        BumpPageAllocator a = new BumpPageAllocator(PageSize.KIB_4,
                List.of(PhysRange.ofEnd(0x20800, 0x23000), PhysRange.ofEnd(0x10000, 0x14000)),
                List.of(PhysRange.ofEnd(0x21000, 0x22000), PhysRange.ofEnd(0x11800, 0x12001)));
        assertEquals(0x10000, a.allocatePage());
        assertEquals(0x13000, a.allocatePage(), "0x11000 and 0x12000 touch [0x11800, 0x12001)");
        assertEquals(0x22000, a.allocatePage(), "0x20800 rounds up to 0x21000, which is excluded");
        assertThrows(PhysicalMemoryException.class, a::allocatePage);
        assertEquals(3, a.allocatedPages());
        assertEquals(List.of(new PhysRange(0x10000, 0x1000), new PhysRange(0x13000, 0x1000),
                new PhysRange(0x22000, 0x1000)), a.allocatedRanges());
    }

    @Test
    void contiguousPagesAreRememberedAsOneRange() throws Exception {
        BumpPageAllocator a = BumpPageAllocator.over(PageSize.KIB_16, 0x100000, 0x200000);
        for (int i = 0; i < 64; i++) {
            a.allocatePage();
        }
        assertEquals(List.of(PhysRange.ofEnd(0x100000, 0x200000)), a.allocatedRanges());
    }

    @Test
    void overlappingFreeRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BumpPageAllocator(PageSize.KIB_4,
                List.of(new PhysRange(0, 0x3000), new PhysRange(0x2000, 0x3000)), List.of()));
    }

    @Test
    void theEncoderRefusesAPageInsidePreservedMemory() {
        PreservedMemoryMap map = PreservedMemoryMap.builder(PageSize.KIB_4).addBlock(0x200000, 9).build();
        SparseMemory m = SparseMemory.of(0, 1L << 30);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryMapCodec
                .of(MemoryMapFormat.RADIX, PageSize.KIB_4).encode(map, m, () -> 0x3ff000L));
        assertEquals("page allocator returned page 0x3ff000 inside preserved block 0x200000 9", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MemoryMapCodec.of(MemoryMapFormat.RADIX, PageSize.KIB_4)
                .encode(map, m, () -> 0x800L));
    }

    @Test
    void aBuilderBuildsOnce() {
        PreservedMemoryMap.Builder b = PreservedMemoryMap.builder(PageSize.KIB_4).addBlock(0, 0);
        b.build();
        assertThrows(IllegalStateException.class, b::build);
        assertThrows(IllegalStateException.class, () -> b.addBlock(0x1000, 0));
    }
}
