package io.kho4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.BumpPageAllocator;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapFormat;
import io.kho4j.preserve.PreservedMemoryMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory-map workloads have the blocks they claim, and the benchmark's baseline copies the bitmap bytes. */
class MapShapeTest {

    @Test
    void tibAlternatePagesIs128MiOrderZeroBlocks() throws Exception {
        PreservedMemoryMap map = MapShape.TIB_ALTERNATE_PAGES.build();
        assertEquals(128L << 20, map.blockCount());
        assertEquals(128L << 20, map.blockCount(0));
        assertEquals(1L << 39, map.preservedBytes());
        // One bit per 4 KiB page of 1 TiB: 32 MiB of bitmap in the page-bitmap and radix layouts.
        MemoryMapCodec codec = MemoryMapCodec.of(MemoryMapFormat.RADIX, MapShape.PAGE_SIZE);
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(MapShape.TIB_ALTERNATE_PAGES.ram()));
        long root = codec.encode(map, memory, BumpPageAllocator.over(MapShape.PAGE_SIZE,
                MapShape.TIB_ALTERNATE_PAGES.preservedEnd(), MapShape.TIB_ALTERNATE_PAGES.ram().end()));
        assertEquals(32L << 20, MemoryMapBenchmark.bitmapBytes(codec, memory, root));
        assertEquals(map, codec.decode(memory, root));
    }

    @Test
    void vmHostIsHundredGuestsInTwoMibFoliosPlusNoise() {
        PreservedMemoryMap map = MapShape.VM_HOST_MIXED.build();
        assertEquals(100 * 8192L, map.blockCount(9));
        assertEquals(16_384L, map.blockCount(0));
        assertEquals(100 * 8192L + 16_384L, map.blockCount());
        assertEquals(1600L << 30, map.preservedBytes() - 16_384L * 4096);
    }

    @Test
    void everyFormatRoundTripsTheVmHostAndTheBaselineCopiesItsBitmaps() throws Exception {
        for (MemoryMapFormat format : List.of(MemoryMapFormat.CHUNKS_BITMAP512, MemoryMapFormat.CHUNKS_BITMAP_PAGE,
                MemoryMapFormat.RADIX)) {
            MemoryMapBenchmark bench = new MemoryMapBenchmark();
            bench.format = format;
            bench.shape = MapShape.VM_HOST_MIXED;
            bench.setUp();
            assertEquals(bench.map, bench.decode(), format.name());
            assertEquals(bench.baselineCopy().length, MemoryMapBenchmark.bitmapBytes(
                    MemoryMapCodec.of(format, MapShape.PAGE_SIZE), bench.memory, bench.encode()), format.name());
            long[] expected = new long[bench.baselineNewCopy().length / Long.BYTES];
            ByteBuffer.wrap(bench.baselineNewCopy()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(expected);
            assertArrayEquals(expected, bench.baselineNewWords(), format.name());
        }
    }
}
