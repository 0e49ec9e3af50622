package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PreservedMemoryMapTest {
    private static final PageSize P4K = PageSize.KIB_4;

    @Test
    void blocksComeOutSortedByAddressAcrossOrders() {
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K)
                .addBlock(0x600000, 9).addBlock(0x5000, 0).addBlock(0x40000000, 18).addBlock(0x1000, 0)
                .addBlock(0x200000, 9).build();
        assertEquals(List.of(new PreservedBlock(0x1000, 0), new PreservedBlock(0x5000, 0),
                new PreservedBlock(0x200000, 9), new PreservedBlock(0x600000, 9),
                new PreservedBlock(0x40000000, 18)), map.blocks());
        assertEquals(5, map.blockCount());
        assertArrayEquals(new int[] {0, 9, 18}, map.orders());
        assertEquals(2 * 4096 + 2 * (2L << 20) + (1L << 30), map.preservedBytes());
        assertEquals("0x600000 9", map.blocks().get(3).toString());
    }

    @Test
    void overlappingOrdersAreRefusedWithBothBlocksNamed() {
        PreservedMemoryMap.Builder b = PreservedMemoryMap.builder(P4K).addBlock(0x200000, 9).addBlock(0x3ff000, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("block 0x3ff000 order 0 overlaps block 0x200000 order 9", e.getMessage());
    }

    @Test
    void aRepeatedBlockIsRefused() {
        PreservedMemoryMap.Builder b = PreservedMemoryMap.builder(P4K).addBlock(0x5000, 0);
        assertThrows(IllegalArgumentException.class, () -> b.addBlock(0x5000, 0));
        b.addRange(new PhysRange(0x4000, 0x2000));
        assertThrows(IllegalArgumentException.class, b::build, "an order-1 block at 0x4000 covers 0x5000");
    }

    @Test
    void misalignedAndTooLargeBlocksAreRefused() {
        PreservedMemoryMap.Builder b = PreservedMemoryMap.builder(P4K);
        assertThrows(IllegalArgumentException.class, () -> b.addBlock(0x1000, 1));
        assertThrows(IllegalArgumentException.class, () -> b.addBlock(0, 41));
        assertThrows(IllegalArgumentException.class, () -> b.addBlock(1L << 52, 0));
    }

    @Test
    void addBlocksFillsWholeWordsAndMatchesSingleAdds() {
        PreservedMemoryMap bulk = PreservedMemoryMap.builder(P4K).addBlocks(PhysRange.ofEnd(0x3000, 0x5a000), 0).build();
        PreservedMemoryMap.Builder single = PreservedMemoryMap.builder(P4K);
        for (long a = 0x3000; a < 0x5a000; a += 0x1000) {
            single.addBlock(a, 0);
        }
        assertEquals(single.build(), bulk);
        assertEquals(0x57, bulk.blockCount());
    }

    @Test
    void rangesUseNodeBoundaries() {
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K).nodeBoundaries(6L << 20)
                .addRange(new PhysRange(0, 16L << 20)).build();
        assertEquals(List.of(new PreservedBlock(0, 10), new PreservedBlock(4L << 20, 9),
                new PreservedBlock(6L << 20, 9), new PreservedBlock(8L << 20, 11)), map.blocks());
    }

    @Test
    void firstIntersectingFindsTheLowestBlockTouchingARange() {
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K)
                .addBlock(0x200000, 9).addBlock(0x7000, 0).addBlock(0x40000000, 18).build();
        assertEquals(Optional.of(new PreservedBlock(0x200000, 9)),
                map.firstIntersecting(PhysRange.ofEnd(0x300000, 0x50000000)), "starts inside the order-9 block");
        assertEquals(Optional.of(new PreservedBlock(0x7000, 0)), map.firstIntersecting(new PhysRange(0, 1L << 40)));
        assertEquals(Optional.empty(), map.firstIntersecting(PhysRange.ofEnd(0x8000, 0x200000)));
        assertEquals(Optional.of(new PreservedBlock(0x40000000, 18)),
                map.firstIntersecting(new PhysRange(0x7fffffff, 1)));
        assertTrue(map.contains(new PreservedBlock(0x7000, 0)));
        assertFalse(map.contains(new PreservedBlock(0x7000, 1)));
        assertFalse(map.contains(new PreservedBlock(0x8000, 0)));
    }

    @Test
    void equalityIsByContent() {
        PreservedMemoryMap a = PreservedMemoryMap.builder(P4K).addBlock(0x9000, 0).addBlock(0x1000, 0).build();
        PreservedMemoryMap b = PreservedMemoryMap.builder(P4K).addBlock(0x1000, 0).addBlock(0x9000, 0).build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, PreservedMemoryMap.builder(PageSize.KIB_16).addBlock(0x4000, 0).build());
        assertEquals(PreservedMemoryMap.empty(P4K), PreservedMemoryMap.builder(P4K).build());
    }

    static Stream<Arguments> seeds() {
        return IntStream.range(0, 25).mapToObj(i -> Arguments.of("seed=" + (1000 + i), 1000L + i));
    }

    /** A random non-overlapping set, built in random order, must come back sorted; overlap detection must agree. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void randomSetsComeBackSortedAndOverlapsAreFound(String name, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<PreservedBlock> blocks = RandomBlocks.nonOverlapping(r, P4K, 1 + r.nextInt(400), 1L << 36);
        List<PreservedBlock> shuffled = new ArrayList<>(blocks);
        Collections.shuffle(shuffled, new java.util.Random(seed));
        PreservedMemoryMap map = PreservedMemoryMap.of(P4K, shuffled);
        List<PreservedBlock> sorted = new ArrayList<>(blocks);
        Collections.sort(sorted);
        assertEquals(sorted, map.blocks());

        PreservedBlock victim = blocks.get(r.nextInt(blocks.size()));
        if (victim.order() > 0) {
            long inside = victim.phys() + r.nextLong(1L << victim.order()) * 4096;
            List<PreservedBlock> bad = new ArrayList<>(blocks);
            bad.add(new PreservedBlock(inside, 0));
            assertThrows(IllegalArgumentException.class, () -> PreservedMemoryMap.of(P4K, bad));
        }
    }

    /** Seeded generators shared by the map and codec tests. */
    static final class RandomBlocks {
        private RandomBlocks() {
        }

        /** Up to {@code n} non-overlapping blocks below {@code limit}, orders biased to small ones. */
        static List<PreservedBlock> nonOverlapping(SplittableRandom r, PageSize pageSize, int n, long limit) {
            TreeMap<Long, Long> taken = new TreeMap<>();
            List<PreservedBlock> out = new ArrayList<>();
            int maxOrder = Math.min(pageSize.maxOrder(), 63 - Long.numberOfLeadingZeros(limit) - pageSize.shift() - 1);
            for (int attempt = 0; attempt < n * 4 && out.size() < n; attempt++) {
                int order = r.nextInt(4) == 0 ? r.nextInt(maxOrder + 1) : r.nextInt(Math.min(3, maxOrder + 1));
                long size = pageSize.blockBytes(order);
                long phys = r.nextLong(limit / size) * size;
                var below = taken.floorEntry(phys + size - 1);
                if (below != null && below.getValue() > phys) {
                    continue;
                }
                taken.put(phys, phys + size);
                out.add(new PreservedBlock(phys, order));
            }
            return out;
        }
    }
}
