package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Encoding writes pages in proportion to the map's bitmaps, not to RAM: counted with a memory that stores only
 * the frames written. No timing is asserted.
 */
class MemoryProportionTest {
    private static final PageSize P4K = PageSize.KIB_4;
    private static final long TIB = 1L << 40;

    private static long encodeAndCount(MemoryMapFormat format, PreservedMemoryMap map, long ram) throws Exception {
        SparseMemory memory = SparseMemory.of(0, ram + (1L << 30));
        BumpPageAllocator allocator = BumpPageAllocator.over(P4K, ram, ram + (1L << 30));
        MemoryMapCodec codec = MemoryMapCodec.of(format, P4K);
        long root = codec.encode(map, memory, allocator);
        assertEquals(allocator.allocatedPages(), memory.framesWritten(), "every page taken is written, nothing else");
        assertEquals(codec.pagesNeeded(map), allocator.allocatedPages());
        assertEquals(map, codec.decode(memory, root));
        return allocator.allocatedPages();
    }

    static Stream<Arguments> wholeTib() {
        // 1 TiB from 4 GiB (pfn 2^20): orders 20, 21 .. 27, then order 20 again: 9 blocks in 8 orders.
        // 512-byte bitmaps: 8 chunks + 8 bitmaps in one slab page. Page bitmaps: 8 chunks + 8 bitmaps.
        // Radix: the order bits 25..32 differ per order, so 8 leaves and 8 level-1 tables, then one table
        // for each of levels 2..4 and the root.
        return Stream.of(Arguments.of(MemoryMapFormat.CHUNKS_BITMAP512, 8 + 1),
                Arguments.of(MemoryMapFormat.CHUNKS_BITMAP_PAGE, 8 + 8),
                Arguments.of(MemoryMapFormat.RADIX, 8 + 8 + 3 + 1));
    }

    @ParameterizedTest(name = "{0}: {1} pages")
    @MethodSource("wholeTib")
    void oneTibPreservedAsARangeNeedsAHandfulOfPages(MemoryMapFormat format, long expected) throws Exception {
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K).addRange(new PhysRange(4L << 30, TIB)).build();
        assertEquals(8, map.orders().length);
        assertEquals(9, map.blockCount());
        assertEquals(expected, encodeAndCount(format, map, TIB + (8L << 30)));
    }

    static Stream<Arguments> everyPage() {
        // 2^28 order-0 bits. Page bitmaps: 2^28 / 2^15 = 8192 bitmaps + ceil(8192 / 255) = 33 chunks.
        // 512-byte bitmaps: 2^28 / 2^12 = 65536 bitmaps = 8192 slab pages + ceil(65536 / 255) = 258 chunks.
        // Radix: 8192 leaves + 16 level-1 tables (512 leaves each) + levels 2, 3, 4 and the root.
        return Stream.of(Arguments.of(MemoryMapFormat.CHUNKS_BITMAP512, 8192 + 258),
                Arguments.of(MemoryMapFormat.CHUNKS_BITMAP_PAGE, 8192 + 33),
                Arguments.of(MemoryMapFormat.RADIX, 8192 + 16 + 4));
    }

    @ParameterizedTest(name = "{0}: {1} pages")
    @MethodSource("everyPage")
    void everyFourKibPageOfOneTibNeedsOnlyItsBitmaps(MemoryMapFormat format, long expected) throws Exception {
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K).addBlocks(new PhysRange(0, TIB), 0).build();
        assertEquals(1L << 28, map.blockCount());
        assertEquals(expected, encodeAndCount(format, map, TIB));
    }

    static Stream<Arguments> everyOtherPage() {
        // 2^23 order-0 blocks spread over 64 GiB: the densest bitmaps with the most blocks.
        // Page bitmaps: 512 + 3 chunks. 512-byte: 4096 bitmaps in 512 pages + 17 chunks. Radix: 512 leaves,
        // one table per level 1..4 and the root.
        return Stream.of(Arguments.of(MemoryMapFormat.CHUNKS_BITMAP512, 512 + 17),
                Arguments.of(MemoryMapFormat.CHUNKS_BITMAP_PAGE, 512 + 3),
                Arguments.of(MemoryMapFormat.RADIX, 512 + 5));
    }

    @ParameterizedTest(name = "{0}: {1} pages")
    @MethodSource("everyOtherPage")
    void everyOtherPageOfSixtyFourGibIsTheWorstCase(MemoryMapFormat format, long expected) throws Exception {
        PreservedMemoryMap.Builder b = PreservedMemoryMap.builder(P4K);
        for (long phys = 0; phys < 64L << 30; phys += 2 * 4096) {
            b.addBlock(phys, 0);
        }
        PreservedMemoryMap map = b.build();
        assertEquals(1L << 23, map.blockCount());
        assertEquals(expected, encodeAndCount(format, map, 64L << 30));
    }
}
