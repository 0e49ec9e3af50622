package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PageOrderTest {
    private static final PageSize P4K = PageSize.KIB_4;

    @Test
    void splitsARangeIntoMaximalNaturallyAlignedBlocksLikeKhoPreservePages() {
        // pfn 3..20: 3 (o0), 4-7 (o2), 8-15 (o3), 16-19 (o2), 20 (o0) - min(ctz(pfn), ilog2(left))
        List<PreservedBlock> blocks = PageOrder.split(PhysRange.ofEnd(3 * 4096L, 21 * 4096L), P4K);
        assertEquals(List.of(new PreservedBlock(0x3000, 0), new PreservedBlock(0x4000, 2),
                new PreservedBlock(0x8000, 3), new PreservedBlock(0x10000, 2), new PreservedBlock(0x14000, 0)), blocks);
    }

    @Test
    void aRangeStartingAtZeroBecomesOneBlockWhenItsSizeIsAPowerOfTwo() {
        assertEquals(List.of(new PreservedBlock(0, 28)), PageOrder.split(new PhysRange(0, 1L << 40), P4K));
    }

    @Test
    void sixteenKibPagesUseTheirOwnPfns() {
        assertEquals(List.of(new PreservedBlock(0x4000, 0), new PreservedBlock(0x8000, 1)),
                PageOrder.split(PhysRange.ofEnd(0x4000, 0x10000), PageSize.KIB_16));
    }

    @Test
    void nodeBoundariesCutBlocks() {
        List<PreservedBlock> out = new ArrayList<>();
        // 0..16 MiB with a node starting at 6 MiB: 0-4M (o10), 4-6M (o9) | 6-8M (o9), 8-16M (o11)
        PageOrder.split(new PhysRange(0, 16L << 20), P4K, new long[] {6L << 20},
                (phys, order) -> out.add(new PreservedBlock(phys, order)));
        assertEquals(List.of(new PreservedBlock(0, 10), new PreservedBlock(4L << 20, 9),
                new PreservedBlock(6L << 20, 9), new PreservedBlock(8L << 20, 11)), out);
    }

    @Test
    void aFolioAcrossANodeBoundaryIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PageOrder.checkFolio(0, 10, P4K, new long[] {2L << 20}));
        assertEquals("block 0x0 order 10 spans the NUMA node boundary 0x200000", e.getMessage());
    }

    @Test
    void misalignedInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PageOrder.split(new PhysRange(0x800, 0x1000), P4K));
        assertThrows(IllegalArgumentException.class, () -> PageOrder.checkFolio(0x1000, 1, P4K, new long[0]));
        assertThrows(IllegalArgumentException.class,
                () -> PageOrder.split(new PhysRange(0, 0x1000), P4K, new long[] {0x2000, 0x1000}, (p, o) -> { }));
    }

    static Stream<Arguments> randomRanges() {
        return IntStream.range(0, 20).mapToObj(i -> {
            long seed = 0x5eed0000L + i;
            return Arguments.of("seed=" + seed, seed);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomRanges")
    void blocksTileTheRangeExactlyAndAreMaximal(String name, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long startPfn = r.nextLong(1L << 30);
        long pages = 1 + r.nextLong(1L << 20);
        long[] boundary = r.nextBoolean() ? new long[] {(startPfn + r.nextLong(pages)) << 12} : new long[0];
        List<PreservedBlock> blocks = new ArrayList<>();
        PageOrder.split(new PhysRange(startPfn << 12, pages << 12), P4K, boundary,
                (phys, order) -> blocks.add(new PreservedBlock(phys, order)));
        long next = startPfn << 12;
        for (PreservedBlock b : blocks) {
            assertEquals(next, b.phys());
            long size = P4K.blockBytes(b.order());
            assertEquals(0, b.phys() % size, "naturally aligned");
            for (long cut : boundary) {
                assertEquals(false, cut > b.phys() && cut < b.phys() + size, "no block spans " + cut);
            }
            next += size;
        }
        assertEquals((startPfn + pages) << 12, next);
    }
}
