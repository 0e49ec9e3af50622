package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.MemoryMapFormatException.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Radix trees assembled by hand from kho-abi.md §2 (4 KiB pages: levels 5..1 index key bits 59:51, 50:42,
 * 41:33, 32:24, 23:15; the leaf takes bits 14:0) and §9.3 (16 KiB before and after the depth fix).
 */
class RadixGoldenTest {
    private static final PageSize P4K = PageSize.KIB_4;
    private static final long MAP = 0x10000000L;

    /**
     * Order 0 at 0x5000: key 1<<52 | 5, level-5 index 2, levels 4..1 index 0, leaf bit 5.
     * Order 9 at 0x600000: key 1<<43 | 3, level-5 index 0, level-4 index 2, levels 3..1 index 0, leaf bit 3.
     * Pages in the encoder's pre-order: root, the order-9 path (keys ascend), then the order-0 path.
     */
    private static void assemble(PhysicalMemory m) throws Exception {
        long root = MAP;
        long[] order9 = {MAP + 0x1000, MAP + 0x2000, MAP + 0x3000, MAP + 0x4000, MAP + 0x5000}; // L4 L3 L2 L1 leaf
        long[] order0 = {MAP + 0x6000, MAP + 0x7000, MAP + 0x8000, MAP + 0x9000, MAP + 0xa000};
        Raw.u64(m, root + 8 * 0, order9[0]);
        Raw.u64(m, root + 8 * 2, order0[0]);
        Raw.u64(m, order9[0] + 8 * 2, order9[1]);
        Raw.u64(m, order9[1], order9[2]);
        Raw.u64(m, order9[2], order9[3]);
        Raw.u64(m, order9[3], order9[4]);
        Raw.setBit(m, order9[4], 3);
        Raw.u64(m, order0[0], order0[1]);
        Raw.u64(m, order0[1], order0[2]);
        Raw.u64(m, order0[2], order0[3]);
        Raw.u64(m, order0[3], order0[4]);
        Raw.setBit(m, order0[4], 5);
    }

    private static final List<PreservedBlock> BLOCKS = List.of(new PreservedBlock(0x5000, 0),
            new PreservedBlock(0x600000, 9));

    @Test
    void aHandBuiltTreeWithOneOrderZeroAndOneOrderNineKeyDecodes() throws Exception {
        SparseMemory m = SparseMemory.of(0, 1L << 30);
        assemble(m);
        List<MapPageVisitor.Kind> kinds = new ArrayList<>();
        PreservedMemoryMap map = MemoryMapCodec.of(MemoryMapFormat.RADIX, P4K)
                .decode(m, MAP, (phys, length, kind) -> kinds.add(kind));
        assertEquals(BLOCKS, map.blocks());
        assertEquals(9, kinds.stream().filter(k -> k == MapPageVisitor.Kind.RADIX_TABLE).count());
        assertEquals(2, kinds.stream().filter(k -> k == MapPageVisitor.Kind.RADIX_LEAF).count());
    }

    @Test
    void theEncoderWritesTheSameElevenPages() throws Exception {
        SparseMemory expected = SparseMemory.of(0, 1L << 30);
        assemble(expected);
        SparseMemory actual = SparseMemory.of(0, 1L << 30);
        MemoryMapCodec codec = MemoryMapCodec.of(MemoryMapFormat.RADIX, P4K);
        PreservedMemoryMap map = PreservedMemoryMap.of(P4K, BLOCKS);
        assertEquals(MAP, codec.encode(map, actual, BumpPageAllocator.over(P4K, MAP, 1L << 30)));
        assertArrayEquals(Raw.bytes(expected, MAP, 11 * 4096), Raw.bytes(actual, MAP, 11 * 4096));
        assertEquals(11, actual.framesWritten());
        assertEquals(11, codec.pagesNeeded(map));
    }

    @Test
    void anEmptyTreeIsAZeroRootPageAndRootZeroIsRejected() throws Exception {
        SparseMemory m = SparseMemory.of(0, 1L << 30);
        MemoryMapCodec codec = MemoryMapCodec.of(MemoryMapFormat.RADIX, P4K);
        long root = codec.encode(PreservedMemoryMap.empty(P4K), m, BumpPageAllocator.over(P4K, MAP, 1L << 30));
        assertEquals(MAP, root);
        assertEquals(1, m.bytesWritten() / 4096);
        assertEquals(PreservedMemoryMap.empty(P4K), codec.decode(m, root));
        MemoryMapFormatException e = assertThrows(MemoryMapFormatException.class, () -> codec.decode(m, 0));
        assertEquals(Kind.NULL_ROOT, e.kind());
    }

    /** 16 KiB pages: order 1 at 0x8000 has key 1<<49 | 1; pre-fix levels 3..1 take bits 49:39, 38:28, 27:17. */
    private static void assemblePreFix16K(PhysicalMemory m) throws Exception {
        long root = MAP;
        Raw.u64(m, root + 8 * 1024, MAP + 0x4000);
        Raw.u64(m, MAP + 0x4000, MAP + 0x8000);
        Raw.u64(m, MAP + 0x8000, MAP + 0xc000);
        Raw.setBit(m, MAP + 0xc000, 1);
    }

    @Test
    void aPreFixSixteenKibTreeDecodesWithThePreFixDepthOnly() throws Exception {
        PageSize p16 = PageSize.KIB_16;
        SparseMemory m = SparseMemory.of(0, 1L << 30);
        assemblePreFix16K(m);
        PreservedMemoryMap map = MemoryMapCodec.of(MemoryMapFormat.RADIX_16K_PREFIX, p16).decode(m, MAP);
        assertEquals(List.of(new PreservedBlock(0x8000, 1)), map.blocks());

        MemoryMapFormatException e = assertThrows(MemoryMapFormatException.class,
                () -> MemoryMapCodec.of(MemoryMapFormat.RADIX, p16).decode(m, MAP));
        assertEquals(Kind.INVALID_KEY, e.kind(), "read as a 5-level tree, index 1024 is key bits 60 and up");
        assertEquals(MAP + 8 * 1024, e.address());

        SparseMemory again = SparseMemory.of(0, 1L << 30);
        MemoryMapCodec.of(MemoryMapFormat.RADIX_16K_PREFIX, p16).encode(map, again,
                BumpPageAllocator.over(p16, MAP, 1L << 30));
        assertArrayEquals(Raw.bytes(m, MAP, 4 * 16384), Raw.bytes(again, MAP, 4 * 16384));
    }

    @Test
    void preFixSixteenKibTreesCannotHoldOrderZeroAndCanBeRefused() throws Exception {
        PageSize p16 = PageSize.KIB_16;
        SparseMemory m = SparseMemory.of(0, 1L << 30);
        PreservedMemoryMap map = PreservedMemoryMap.builder(p16).addBlock(0x8000, 1).addBlock(0x4000, 0).build();
        MemoryMapFormatException e = assertThrows(MemoryMapFormatException.class, () -> MemoryMapCodec
                .of(MemoryMapFormat.RADIX_16K_PREFIX, p16).encode(map, m, BumpPageAllocator.over(p16, MAP, 1L << 30)));
        assertEquals(Kind.UNREPRESENTABLE, e.kind());
        assertEquals(0x4000, e.address());

        MemoryMapCodec refusing = MemoryMapCodec.of(
                MemoryMapCodecConfig.of(MemoryMapFormat.RADIX_16K_PREFIX, p16).withRefusePreFix16K(true));
        assertEquals(Kind.REFUSED_LAYOUT, assertThrows(MemoryMapFormatException.class,
                () -> refusing.decode(m, MAP)).kind());

        // With 4 KiB pages both formulas give 6 levels: the pre-fix variant is the same layout and is not refused.
        MemoryMapCodec same = MemoryMapCodec.of(
                MemoryMapCodecConfig.of(MemoryMapFormat.RADIX_16K_PREFIX, P4K).withRefusePreFix16K(true));
        SparseMemory m4 = SparseMemory.of(0, 1L << 30);
        assemble(m4);
        assertEquals(BLOCKS, same.decode(m4, MAP).blocks());
    }

    @Test
    void sixteenKibPostFixTreesHaveFiveLevels() throws Exception {
        PageSize p16 = PageSize.KIB_16;
        SparseMemory m = SparseMemory.of(0, 1L << 30);
        PreservedMemoryMap map = PreservedMemoryMap.builder(p16).addBlock(0x4000, 0).build();
        MemoryMapCodec codec = MemoryMapCodec.of(MemoryMapFormat.RADIX, p16);
        long root = codec.encode(map, m, BumpPageAllocator.over(p16, MAP, 1L << 30));
        // key 1<<50 | 1: level-4 index bits 60:50 = 1, then index 0 down to the leaf, bit 1
        assertEquals(MAP + 0x4000, m.readU64(root + 8, java.nio.ByteOrder.LITTLE_ENDIAN));
        assertEquals(5, codec.pagesNeeded(map));
        assertEquals(map, codec.decode(m, root));
    }
}
