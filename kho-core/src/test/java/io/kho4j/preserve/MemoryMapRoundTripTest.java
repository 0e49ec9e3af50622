package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Encode then decode random block sets at every format and page size; the map must come back unchanged. */
class MemoryMapRoundTripTest {
    private static final long BLOCKS_BELOW = 1L << 36;
    private static final long RAM = 1L << 37;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 0x6b686f00L;
        for (MemoryMapFormat format : MemoryMapFormat.values()) {
            for (PageSize pageSize : PageSize.values()) {
                for (int i = 0; i < 4; i++) {
                    seed++;
                    out.add(Arguments.of(format + " " + pageSize + " seed=" + seed, format, pageSize, seed));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void randomMapsSurviveEncodeAndDecode(String name, MemoryMapFormat format, PageSize pageSize, long seed)
            throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        List<PreservedBlock> blocks = PreservedMemoryMapTest.RandomBlocks.nonOverlapping(r, pageSize,
                r.nextInt(3000), BLOCKS_BELOW);
        boolean lossyPreFix = format == MemoryMapFormat.RADIX_16K_PREFIX && pageSize == PageSize.KIB_16;
        if (lossyPreFix) {
            blocks.removeIf(b -> b.order() == 0);
        }
        if (r.nextBoolean()) {
            // dense runs exercise full words and full chunks
            long start = BLOCKS_BELOW + (long) r.nextInt(1 << 10) * pageSize.bytes() * 16;
            blocks.addAll(PageOrder.split(new PhysRange(start, (1L + r.nextInt(1 << 14)) * pageSize.bytes()),
                    pageSize));
            if (lossyPreFix) {
                blocks.removeIf(b -> b.order() == 0);
            }
        }
        PreservedMemoryMap map = PreservedMemoryMap.of(pageSize, blocks);
        SparseMemory memory = SparseMemory.of(0, RAM);
        BumpPageAllocator allocator = BumpPageAllocator.over(pageSize, RAM - (RAM >> 3), RAM);
        MemoryMapCodec codec = MemoryMapCodec.of(format, pageSize);

        long root = codec.encode(map, memory, allocator);

        assertEquals(codec.pagesNeeded(map), allocator.allocatedPages());
        assertEquals(allocator.allocatedPages() * pageSize.bytes(), memory.bytesWritten(), "each page written once");
        assertEquals(map, codec.decode(memory, root));
    }

    /**
     * Encoders write every page whole, zeros included, and never rely on fresh memory being zero: encoding into
     * pages full of 0xA5 gives the same bytes as encoding into zeroed pages.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodingIntoDirtyPagesGivesTheSameBytes(String name, MemoryMapFormat format, PageSize pageSize, long seed)
            throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        List<PreservedBlock> blocks = PreservedMemoryMapTest.RandomBlocks.nonOverlapping(r, pageSize,
                r.nextInt(300), BLOCKS_BELOW);
        if (format == MemoryMapFormat.RADIX_16K_PREFIX && pageSize == PageSize.KIB_16) {
            blocks.removeIf(b -> b.order() == 0);
        }
        PreservedMemoryMap map = PreservedMemoryMap.of(pageSize, blocks);
        MemoryMapCodec codec = MemoryMapCodec.of(format, pageSize);
        long area = RAM - (RAM >> 3);
        int areaBytes = Math.toIntExact(codec.pagesNeeded(map) * pageSize.bytes());
        SparseMemory clean = SparseMemory.of(0, RAM);
        SparseMemory dirty = SparseMemory.of(0, RAM);
        byte[] garbage = new byte[areaBytes];
        Arrays.fill(garbage, (byte) 0xa5);
        dirty.write(area, garbage, 0, areaBytes);

        long root = codec.encode(map, clean, BumpPageAllocator.over(pageSize, area, RAM));

        assertEquals(root, codec.encode(map, dirty, BumpPageAllocator.over(pageSize, area, RAM)));
        assertArrayEquals(clean.read(area, areaBytes), dirty.read(area, areaBytes));
    }
}
