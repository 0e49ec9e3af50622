package io.kho4j.gic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.Preservation;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import io.kho4j.testsupport.ExternalTools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The kho4j,gicv3-v1 subtree: its content as dtc reads it, its preservations, and hand-assembled bad subtrees. */
class GicSubsystemTest {
    private static final GicSubsystem GIC = new GicSubsystem();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /**
     * GicSamples.example() as dtc prints it. Values are little-endian (kho-abi.md §1), so dtc's big-endian cells show
     * them byte-swapped: lpi-id-bits 16 = bytes 10 00 00 00 = cell 0x10000000; 0x1_0001_0000 = bytes
     * 00 00 01 00 01 00 00 00 = cells 0x100 0x1000000; 64 KiB = bytes 00 00 01 00 00 00 00 00 = cells 0x100 0x00.
     */
    private static final String EXPECTED = """
            /dts-v1/;

            / {
            	compatible = "kho4j,gicv3-v1";
            	lpi-id-bits = <0x10000000>;
            	lpi-prop-table = <0x00 0x1000000>;

            	rdist@0 {
            		cpu = <0x00>;
            		lpi-pend-table = <0x100 0x1000000 0x100 0x00>;
            	};

            	rdist@1 {
            		cpu = <0x1000000>;
            		lpi-pend-table = <0x200 0x1000000 0x100 0x00>;
            	};

            	its@8080000 {
            		frame = <0x808 0x00>;

            		baser@0 {
            			baser = <0x00>;
            			type = <0x1000000>;
            			entry-size = <0x8000000>;
            			page-size = <0x100>;
            			table = <0x300 0x1000000 0x100 0x00>;
            			indirect;
            			level2-tables = <0x400 0x1000000>;
            		};

            		baser@1 {
            			baser = <0x1000000>;
            			type = <0x4000000>;
            			entry-size = <0x8000000>;
            			page-size = <0x100>;
            			table = <0x500 0x1000000 0x100 0x00>;
            		};
            	};
            };
            """;

    private static SerializedSubtree write(GicState state, int pageSize) {
        return Subtrees.write(GIC, state, GicSubsystem.GICV3_V1, new WriteContext(AbiGeneration.KHO_V4_BLOCKS, LE,
                pageSize));
    }

    @Test
    void dtcReadsTheSubtreeAsWrittenOutByHand() throws Exception {
        assertEquals(EXPECTED, ExternalTools.dtbToDts(write(GicSamples.example(), 4096).bytes()));
    }

    @Test
    void adjacentTablesArePreservedAsOneRange() {
        // the example's six 64 KiB tables sit back to back from 4 GiB
        assertEquals(List.of(new Preservation(new PhysRange(0x1_0000_0000L, 0x6_0000), -1)),
                write(GicSamples.example(), 4096).preservations());
    }

    @Test
    void tablesAreRoundedOutToWholePagesAndEachPageIsPreservedOnce() {
        // a 4 KiB-aligned property table on 16 KiB pages: rounded to [0x2_0000_0000, 0x2_0001_4000)
        GicState s = new GicState(new LpiPropertyTable(0x2_0000_1000L, 16),
                List.of(new LpiPendingTable(0, 0x2_0002_0000L, 0x1_0000)), List.of());
        assertEquals(List.of(new Preservation(new PhysRange(0x2_0000_0000L, 0x1_4000), -1),
                new Preservation(new PhysRange(0x2_0002_0000L, 0x1_0000), -1)), write(s, 16384).preservations());
    }

    @Test
    void tablesOutsideTheInboundRamAreRefused() {
        SerializedSubtree out = write(GicSamples.example(), 4096);
        // RAM ends after the device table: the level-2 page behind it is the first table outside
        PhysicalMemory small = PhysicalMemory.ofHeap(0x1_0000_0000L, 0x4_0000);
        InboundSubtree in = InboundSubtree.of(GicSubsystem.NAME, 0x1000, out.bytes(), AbiGeneration.KHO_V4_BLOCKS,
                small, FdtValidator.standard());
        RestoreException e = assertThrows(RestoreException.class, () -> GIC.restore(in, GicSubsystem.GICV3_V1));
        assertTrue(e.getMessage().contains("its-l2 table [0x100040000, 0x100050000) is not in RAM"),
                e.getMessage());
    }

    /** A subtree assembled with the core FDT writer, not the serializer, so each field can be wrong on its own. */
    private static RestoreException refused(Consumer<FdtWriter> root, Consumer<FdtWriter> children) {
        FdtWriter w = FdtWriter.create();
        w.beginNode("").propertyStrings("compatible", "kho4j,gicv3-v1");
        root.accept(w);
        children.accept(w);
        byte[] blob = w.endNode().finish();
        return assertThrows(RestoreException.class,
                () -> GIC.restore(InboundSubtree.of(GicSubsystem.NAME, blob), GicSubsystem.GICV3_V1));
    }

    private static byte[] u64s(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(LE);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    private static Consumer<FdtWriter> root(int idBits, long propTable) {
        return w -> w.propertyU32("lpi-id-bits", idBits, LE).propertyU64("lpi-prop-table", propTable, LE);
    }

    private static final Consumer<FdtWriter> GOOD_ROOT = root(16, 0x1_0000_0000L);

    private static Consumer<FdtWriter> rdist(int cpu, long address, long size) {
        return w -> w.beginNode("rdist@" + cpu).propertyU32("cpu", cpu, LE)
                .property("lpi-pend-table", u64s(address, size)).endNode();
    }

    /** @return its@8080000 with one baser@0 of {@code type}, entry size 8; {@code more} adds to baser@0 */
    private static Consumer<FdtWriter> its(int type, int pageSize, long tableSize, Consumer<FdtWriter> more) {
        return w -> {
            w.beginNode("its@8080000").propertyU64("frame", 0x0808_0000L, LE)
                    .beginNode("baser@0").propertyU32("baser", 0, LE).propertyU32("type", type, LE)
                    .propertyU32("entry-size", 8, LE).propertyU32("page-size", pageSize, LE)
                    .property("table", u64s(0x1_0010_0000L, tableSize));
            more.accept(w);
            w.endNode().endNode();
        };
    }

    @Test
    void rootPropertiesMustBePresentWithTheirExactSizes() {
        assertTrue(refused(w -> w.propertyU64("lpi-prop-table", 0x1_0000_0000L, LE), w -> { })
                .getMessage().contains("no property \"lpi-id-bits\""));
        RestoreException e = refused(w -> w.propertyU32("lpi-id-bits", 16, LE).propertyU32("lpi-prop-table", 0, LE),
                w -> { });
        assertTrue(e.getMessage().contains("node / at offset") && e.getMessage().contains("is 4 bytes, expected 8"),
                e.getMessage());
    }

    @Test
    void architecturalLimitsAreChecked() {
        assertTrue(refused(root(13, 0x1_0000_0000L), w -> { }).getMessage().contains("id bits must be 14 to 32"));
        assertTrue(refused(root(16, 0x1_0000_0800L), w -> { }).getMessage().contains("aligned to 0x1000"));
        assertTrue(refused(GOOD_ROOT, rdist(0, 0x1_0001_8000L, 0x1_0000)).getMessage().contains("aligned to 0x10000"));
        // 24 id bits need ALIGN(2^24 / 8, 64 KiB) = 2 MiB of pending bits
        RestoreException e = refused(root(24, 0x1_0000_0000L), rdist(0, 0x2_0000_0000L, 0x1_0000));
        assertTrue(e.getMessage().contains("smaller than LPI_PENDBASE_SZ 0x200000"), e.getMessage());
    }

    @Test
    void overlappingTablesAndRepeatedCpusAreRefused() {
        assertTrue(refused(GOOD_ROOT, rdist(0, 0x1_0000_0000L, 0x1_0000)).getMessage().contains("overlap"));
        assertTrue(refused(GOOD_ROOT, rdist(0, 0x1_0001_0000L, 0x1_0000).andThen(rdist(0, 0x1_0002_0000L, 0x1_0000)))
                .getMessage().contains("two pending tables"));
    }

    @Test
    void itsTablesOfReservedTypeOrBadGeometryAreRefusedAtTheirNode() {
        RestoreException e = refused(GOOD_ROOT, its(3, 65536, 0x1_0000, w -> { }));
        assertTrue(e.getMessage().contains("/its@8080000/baser@0 at offset") && e.getMessage().contains("reserved"),
                e.getMessage());
        assertTrue(refused(GOOD_ROOT, its(1, 4096, 257 * 4096L, w -> { })).getMessage().contains("not 1 to 256 pages"));
        Consumer<FdtWriter> flatWithLevel2 = its(1, 4096, 4096, w -> w.property("level2-tables",
                u64s(0x1_0020_0000L)));
        assertTrue(refused(GOOD_ROOT, flatWithLevel2).getMessage().contains("flat table has no level-2"));
    }

    @Test
    void unknownNodesAreRefused() {
        RestoreException e = refused(GOOD_ROOT, w -> w.beginNode("distributor").endNode());
        assertTrue(e.getMessage().contains("unexpected node"), e.getMessage());
    }
}
