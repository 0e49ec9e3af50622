package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.preserve.RadixGeometry.DepthFormula;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RadixGeometryTest {
    /** kho-abi.md §2 (4 KiB: 52, 9, 15, 6) and §9.3 (16 KiB: 4 before the fix, 5 after; 64 KiB: 4). */
    @ParameterizedTest(name = "{0} {1}: depth {5}")
    @CsvSource({
        "KIB_4,  PRE_FIX,  52, 9,  15, 6",
        "KIB_4,  POST_FIX, 52, 9,  15, 6",
        "KIB_16, PRE_FIX,  50, 11, 17, 4",
        "KIB_16, POST_FIX, 50, 11, 17, 5",
        "KIB_64, PRE_FIX,  48, 13, 19, 4",
        "KIB_64, POST_FIX, 48, 13, 19, 4"})
    void constantsMatchTheKernelEnum(PageSize pageSize, DepthFormula formula, int order0, int table, int bitmap,
            int depth) {
        RadixGeometry g = RadixGeometry.of(pageSize, formula);
        assertEquals(order0, g.orderZeroLog2());
        assertEquals(table, g.tableSizeLog2());
        assertEquals(bitmap, g.bitmapSizeLog2());
        assertEquals(depth, g.depth());
    }

    @Test
    void thePreFixSixteenKibTreeCannotHoldTheOrderZeroMarker() {
        RadixGeometry pre = RadixGeometry.of(PageSize.KIB_16, DepthFormula.PRE_FIX);
        assertEquals(50, pre.keyBits());
        assertEquals(1L << 50, pre.encodeKey(0, 0) & (1L << 50), "the marker is bit 50, one above the tree");
        assertEquals(61, RadixGeometry.of(PageSize.KIB_16, DepthFormula.POST_FIX).keyBits());
    }

    @Test
    void keysRoundTripAndIndexLikeTheHeaderDiagram() {
        RadixGeometry g = RadixGeometry.of(PageSize.KIB_4, DepthFormula.POST_FIX);
        long key = g.encodeKey(0x600000, 9);
        assertEquals((1L << 43) | 3, key);
        assertEquals(new PreservedBlock(0x600000, 9), g.decodeKey(key));
        assertEquals(new PreservedBlock(0x5000, 0), g.decodeKey(g.encodeKey(0x5000, 0)));
        assertEquals(2, g.tableIndex(g.encodeKey(0x5000, 0), 5), "bit 52 is bit 1 of the level-5 index (59:51)");
        assertEquals(5, g.leafBit(g.encodeKey(0x5000, 0)));
        assertThrows(IllegalArgumentException.class, () -> g.decodeKey(0));
    }
}
