package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.host.PhysicalMemory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chunk lists assembled by hand from the struct definitions of kho-abi.md §2, decoded, and compared byte for
 * byte with what the encoder writes for the same blocks at the same pages.
 */
class ChunkListGoldenTest {
    private static final PageSize P4K = PageSize.KIB_4;
    private static final long MAP = 0x10000000L;

    private static final List<PreservedBlock> BLOCKS_512 = List.of(
            new PreservedBlock(0x5000, 0),      // bitmap 0, bit 5: byte 0 = 0x20
            new PreservedBlock(0x64000, 0),     // bitmap 0, bit 100: byte 12 = 0x10
            new PreservedBlock(0x1003000, 0),   // pfn 4099: bitmap 1 (phys_start 0x1000000), bit 3
            new PreservedBlock(0x400000, 9),    // order 9: pfn_high 2
            new PreservedBlock(0x600000, 9));   // pfn_high 3

    /**
     * 6.16 layout: chunk 0 (order 0, two 512-byte bitmaps), chunk 1 (order 9, one bitmap); the bitmaps share
     * one slab page, placed as the encoder allocates: chunk, slab, chunk.
     */
    private static void assemble512(PhysicalMemory m) throws Exception {
        long chunk0 = MAP;
        long slab = MAP + 0x1000;
        long chunk1 = MAP + 0x2000;
        Raw.chunkHeader(m, chunk0, chunk1, 0, 2);
        Raw.chunkEntry(m, chunk0, 0, 0, slab);
        Raw.chunkEntry(m, chunk0, 1, (1L * 512 * 8) << 12, slab + 512);
        Raw.chunkHeader(m, chunk1, 0, 9, 1);
        Raw.chunkEntry(m, chunk1, 0, 0, slab + 1024);
        Raw.u8(m, slab, 0x20);
        Raw.u8(m, slab + 12, 0x10);
        Raw.u8(m, slab + 512, 0x08);
        Raw.u8(m, slab + 1024, 0x0c);
    }

    @Test
    void handAssembled512ByteBitmapChunksDecodeToTheirBlocks() throws Exception {
        SparseMemory m = SparseMemory.of(0, 1L << 30);
        assemble512(m);
        List<MapPageVisitor.Kind> seen = new ArrayList<>();
        PreservedMemoryMap map = MemoryMapCodec.of(MemoryMapFormat.CHUNKS_BITMAP512, P4K)
                .decode(m, MAP, (phys, length, kind) -> seen.add(kind));
        assertEquals(BLOCKS_512.stream().sorted().toList(), map.blocks());
        assertEquals(List.of(MapPageVisitor.Kind.CHUNK, MapPageVisitor.Kind.BITMAP, MapPageVisitor.Kind.BITMAP,
                MapPageVisitor.Kind.CHUNK, MapPageVisitor.Kind.BITMAP), seen);
    }

    @Test
    void the512ByteEncoderWritesTheSameBytes() throws Exception {
        SparseMemory expected = SparseMemory.of(0, 1L << 30);
        assemble512(expected);
        SparseMemory actual = SparseMemory.of(0, 1L << 30);
        long root = MemoryMapCodec.of(MemoryMapFormat.CHUNKS_BITMAP512, P4K)
                .encode(PreservedMemoryMap.of(P4K, BLOCKS_512), actual, BumpPageAllocator.over(P4K, MAP, 1L << 30));
        assertEquals(MAP, root);
        assertArrayEquals(Raw.bytes(expected, MAP, 3 * 4096), Raw.bytes(actual, MAP, 3 * 4096));
        assertEquals(3, actual.framesWritten());
    }

    private static final List<PreservedBlock> BLOCKS_PAGE = List.of(
            new PreservedBlock(0x5000, 0),       // bitmap 0 (32768 bits), bit 5
            new PreservedBlock(0x400000, 9),
            new PreservedBlock(0x600000, 9),
            new PreservedBlock(0x8003000, 0));   // pfn 32771: bitmap 1 (phys_start 0x8000000), bit 3

    /** 6.18+ layout: each bitmap is a page; allocation order chunk 0, bitmap, bitmap, chunk 1, bitmap. */
    private static void assemblePage(PhysicalMemory m) throws Exception {
        Raw.chunkHeader(m, MAP, MAP + 0x3000, 0, 2);
        Raw.chunkEntry(m, MAP, 0, 0, MAP + 0x1000);
        Raw.chunkEntry(m, MAP, 1, (1L * 4096 * 8) << 12, MAP + 0x2000);
        Raw.setBit(m, MAP + 0x1000, 5);
        Raw.setBit(m, MAP + 0x2000, 3);
        Raw.chunkHeader(m, MAP + 0x3000, 0, 9, 1);
        Raw.chunkEntry(m, MAP + 0x3000, 0, 0, MAP + 0x4000);
        Raw.setBit(m, MAP + 0x4000, 2);
        Raw.setBit(m, MAP + 0x4000, 3);
    }

    @Test
    void handAssembledPageBitmapChunksDecodeAndEncodeIdentically() throws Exception {
        SparseMemory expected = SparseMemory.of(0, 1L << 30);
        assemblePage(expected);
        MemoryMapCodec codec = MemoryMapCodec.of(MemoryMapFormat.CHUNKS_BITMAP_PAGE, P4K);
        PreservedMemoryMap map = codec.decode(expected, MAP);
        assertEquals(BLOCKS_PAGE.stream().sorted().toList(), map.blocks());

        SparseMemory actual = SparseMemory.of(0, 1L << 30);
        assertEquals(MAP, codec.encode(map, actual, BumpPageAllocator.over(P4K, MAP, 1L << 30)));
        assertArrayEquals(Raw.bytes(expected, MAP, 5 * 4096), Raw.bytes(actual, MAP, 5 * 4096));
        assertEquals(5, codec.pagesNeeded(map));
    }

    @Test
    void the512ByteLayoutReadAsPageBitmapsLosesBlocks() throws Exception {
        // kho-abi.md §3 trap: same compatible string, different PRESERVE_BITS. A page-bitmap reader needs
        // phys_start to be a multiple of 32768 pages; the second 512-byte bitmap starts at 4096 pages.
        SparseMemory m = SparseMemory.of(0, 1L << 30);
        assemble512(m);
        MemoryMapFormatException e = org.junit.jupiter.api.Assertions.assertThrows(MemoryMapFormatException.class,
                () -> MemoryMapCodec.of(MemoryMapFormat.CHUNKS_BITMAP_PAGE, P4K).decode(m, MAP));
        assertEquals(MemoryMapFormatException.Kind.BAD_PHYS_START, e.kind());
        assertEquals(MAP + 16 + 16, e.address(), "chunk 0, bitmaps[1].phys_start");
    }

    @Test
    void anEmptyMapIsRootZeroAndDecodesEmpty() throws Exception {
        SparseMemory m = SparseMemory.of(0, 1L << 20);
        for (MemoryMapFormat f : List.of(MemoryMapFormat.CHUNKS_BITMAP512, MemoryMapFormat.CHUNKS_BITMAP_PAGE)) {
            MemoryMapCodec codec = MemoryMapCodec.of(f, P4K);
            assertEquals(0, codec.encode(PreservedMemoryMap.empty(P4K), m, () -> {
                throw new AssertionError("no page may be taken");
            }));
            assertEquals(0, codec.pagesNeeded(PreservedMemoryMap.empty(P4K)));
            assertEquals(PreservedMemoryMap.empty(P4K), codec.decode(m, 0));
        }
    }

    @Test
    void bigEndianCpusGetBigEndianFields() throws Exception {
        SparseMemory m = SparseMemory.of(0, 1L << 30);
        MemoryMapCodec codec = MemoryMapCodec.of(
                MemoryMapCodecConfig.of(MemoryMapFormat.CHUNKS_BITMAP_PAGE, P4K).withByteOrder(ByteOrder.BIG_ENDIAN));
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K).addBlock(0x400000, 9).build();
        codec.encode(map, m, BumpPageAllocator.over(P4K, MAP, 1L << 30));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1},
                Raw.bytes(m, MAP, 16), "next, order 9, num_elms 1, big-endian");
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0x10, 0, 0x10, 0}, Raw.bytes(m, MAP + 24, 8), "bitmap pointer");
        assertEquals(0x04, Raw.bytes(m, MAP + 0x1000 + 7, 1)[0], "bit 2 is in the last byte of a BE word");
        assertEquals(map, codec.decode(m, MAP));
    }
}
