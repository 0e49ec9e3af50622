package io.kho4j.gic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The architecture's constraints on the state, and the kernel's table sizes. */
class GicStateTest {
    @Test
    void tableSizesFollowTheKernelMacros() {
        // LPI_PROPBASE_SZ = ALIGN(BIT(16), SZ_64K); LPI_PENDBASE_SZ = ALIGN(BIT(16) / 8, SZ_64K)
        assertEquals(0x1_0000, LpiPropertyTable.size(16));
        assertEquals(0x1_0000, LpiPropertyTable.pendingSize(16));
        assertEquals(0x100_0000, LpiPropertyTable.size(24));
        assertEquals(0x20_0000, LpiPropertyTable.pendingSize(24));
        assertEquals(1L << 32, LpiPropertyTable.size(32));
    }

    @Test
    void addressesMustBeAlignedAndBelowTwoToThe52() {
        assertThrows(IllegalArgumentException.class, () -> new LpiPropertyTable((1L << 52) - 0x1_0000 + 0x1000, 16));
        assertThrows(IllegalArgumentException.class, () -> new LpiPendingTable(0, 0x1_0000_1000L, 0x1_0000));
        assertThrows(IllegalArgumentException.class, () -> new LpiPendingTable(0, 0x1_0000_0000L, 0x8000));
        assertThrows(IllegalArgumentException.class, () -> new LpiPendingTable(-1, 0x1_0000_0000L, 0x1_0000));
        assertThrows(IllegalArgumentException.class, () -> new Its(0x0808_1000L, List.of()));
    }

    @Test
    void itsTablesMustFitTheirRegister() {
        assertThrows(IllegalArgumentException.class, () -> table(8, ItsTableType.DEVICE, 8, 4096, 4096));
        assertThrows(IllegalArgumentException.class, () -> table(0, ItsTableType.DEVICE, 33, 4096, 4096));
        assertThrows(IllegalArgumentException.class, () -> table(0, ItsTableType.DEVICE, 8, 8192, 8192));
        assertThrows(IllegalArgumentException.class, () -> table(0, ItsTableType.DEVICE, 8, 4096, 6000));
        assertThrows(IllegalArgumentException.class, () -> new ItsTable(0, ItsTableType.DEVICE, 8, 4096, true,
                0x1_0000_0000L, 4096, List.of(0x1_0001_0000L, 0x1_0001_0000L)));
        // one 4 KiB level-1 page has 512 entries of GITS_LVL1_ENTRY_SIZE = 8 bytes
        List<Long> tooMany = java.util.stream.LongStream.range(0, 513).map(i -> 0x2_0000_0000L + i * 4096).boxed()
                .toList();
        assertThrows(IllegalArgumentException.class, () -> new ItsTable(0, ItsTableType.DEVICE, 8, 4096, true,
                0x1_0000_0000L, 4096, tooMany));
        assertThrows(IllegalArgumentException.class, () -> new Its(0x0808_0000L, List.of(
                table(0, ItsTableType.DEVICE, 8, 4096, 4096), table(1, ItsTableType.DEVICE, 8, 4096, 4096))));
    }

    private static ItsTable table(int baser, ItsTableType type, int entrySize, int pageSize, long size) {
        return new ItsTable(baser, type, entrySize, pageSize, false, 0x1_0000_0000L + baser * 0x10_0000L, size,
                List.of());
    }

    @Test
    void regionsComeInAFixedOrder() {
        assertEquals(List.of("lpi-prop", "lpi-pend", "lpi-pend", "its-device", "its-l2", "its-collection"),
                GicSamples.example().regions().stream().map(GicRegion::kind).toList());
    }

    @Test
    void typeCodesAreTheRegisterValues() {
        assertEquals(ItsTableType.DEVICE, ItsTableType.of(1).orElseThrow());
        assertEquals(ItsTableType.VCPU, ItsTableType.of(2).orElseThrow());
        assertEquals(ItsTableType.COLLECTION, ItsTableType.of(4).orElseThrow());
        for (int reserved : new int[] {0, 3, 5, 6, 7}) {
            assertEquals(java.util.Optional.empty(), ItsTableType.of(reserved));
        }
    }
}
