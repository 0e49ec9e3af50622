package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.testsupport.ExternalTools;
import io.kho4j.testsupport.FdtdumpParser;
import io.kho4j.testsupport.LibFdtOracle;
import io.kho4j.tree.KhoNode;
import io.kho4j.tree.TreeCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-written DTS files (test resources) compiled by dtc: the KHO root and memblock sub-FDT of kho-abi.md
 * §1, and a dtc-style board tree with phandles. Each goes through every tool we compare with.
 */
class HandWrittenDtsTest {

    private static byte[] compile(String resource) throws IOException {
        try (InputStream in = HandWrittenDtsTest.class.getResourceAsStream(resource)) {
            return ExternalTools.dtsToDtb(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kho-root.dts", "memblock.dts", "board.dts"})
    void everyToolSeesWhatWeRead(String resource) throws Exception {
        byte[] dtb = compile(resource);
        ValidatedFdt fdt = FdtValidator.standard().validate(dtb);
        String canonical = CanonicalDump.toString(fdt);
        assertEquals(OptionalInt.of(0), LibFdtOracle.checkFull(dtb));
        assertEquals(LibFdtOracle.canonicalView(dtb), canonical);
        assertEquals(FdtdumpParser.toCanonical(ExternalTools.fdtdump(dtb)), canonical);
        assertEquals(DtcDifferentialTest.repairDtcOctalAmbiguity(ExternalTools.dtbToDts(dtb)),
                DtsFormatter.toString(fdt));
        KhoNode tree = TreeCodec.decode(fdt);
        List<MemoryReservation> rsv = fdt.memoryReservations();
        assertArrayEquals(dtb, TreeCodec.encode(tree, rsv, FdtWriter.create(FdtWriter.Layout.DTC)));
        byte[] sequential = TreeCodec.encode(tree, rsv, FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL));
        assertArrayEquals(LibFdtOracle.sequentialWrite(tree, rsv), sequential);
        assertEquals(canonical, CanonicalDump.toString(FdtValidator.standard().validate(sequential)));
    }

    @Test
    void khoRootValuesAreLittleEndianPhysicalAddresses() throws Exception {
        // kho-abi.md §1: <0x40be16 0x1000000> is the bytes 00 40 be 16 01 00 00 00, u64 LE 0x1_16be_4000
        ValidatedFdt fdt = FdtValidator.standard().validate(compile("kho-root.dts"));
        assertEquals("kho-v1", fdt.root().requireProperty("compatible").string());
        assertEquals(0x1_16be_4000L, fdt.root().requireProperty("preserved-memory-map").u64(ByteOrder.LITTLE_ENDIAN));
        // fdt = <0x1517 0x1000000>: bytes 00 00 15 17 01 00 00 00
        assertEquals(0x1_1715_0000L, fdt.find("/memblock").orElseThrow().requireProperty("fdt")
                .u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals(FdtFormatException.Kind.BAD_VALUE, assertThrows(
                FdtFormatException.class, () -> fdt.root().requireProperty("compatible").u64(ByteOrder.LITTLE_ENDIAN))
                .kind());
        assertEquals(FdtFormatException.Kind.NOT_FOUND, assertThrows(
                FdtFormatException.class, () -> fdt.root().requireProperty("blob-size")).kind());
    }

    @Test
    void memblockRegionsAreRead() throws Exception {
        // kho-abi.md §1: start = <0xc06b 0x4000000> is 0x4_6bc0_0000, size = <0x04 0x00> is 64 MiB
        ValidatedFdt fdt = FdtValidator.standard().validate(compile("memblock.dts"));
        FdtNode n1 = fdt.find("/n1").orElseThrow();
        assertEquals("reserve-mem-v1", n1.requireProperty("compatible").string());
        assertEquals(0x4_6bc0_0000L, n1.requireProperty("start").u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals(64L << 20, n1.requireProperty("size").u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals(0x4_67c0_0000L, fdt.find("/n2").orElseThrow().requireProperty("start").u64(ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void boardPhandlesPointAtTheNodesDtcNumbered() throws Exception {
        ValidatedFdt fdt = FdtValidator.standard().validate(compile("board.dts"));
        int gic = fdt.find("/soc/interrupt-controller").orElseThrow().requireProperty("phandle").u32(ByteOrder.BIG_ENDIAN);
        assertEquals(gic, fdt.root().requireProperty("interrupt-parent").u32(ByteOrder.BIG_ENDIAN));
        int l2 = fdt.find("/cpus/l2-cache").orElseThrow().requireProperty("phandle").u32(ByteOrder.BIG_ENDIAN);
        assertEquals(l2, fdt.find("/cpus/cpu@1").orElseThrow().requireProperty("next-level-cache").u32(ByteOrder.BIG_ENDIAN));
        int phy = fdt.find("/soc/ethernet@10020000/mdio/ethernet-phy").orElseThrow().requireProperty("phandle")
                .u32(ByteOrder.BIG_ENDIAN);
        assertEquals(phy, fdt.find("/soc/ethernet").orElseThrow().requireProperty("phy-handle").u32(ByteOrder.BIG_ENDIAN));
        assertEquals(List.of("vendor,board-rev2", "vendor,board"), fdt.root().requireProperty("compatible").strings());
        assertEquals("/soc/serial@10000000", fdt.find("/aliases").orElseThrow().requireProperty("serial0").string());
        assertEquals(0x1_16be_4000L, fdt.find("/chosen").orElseThrow().requireProperty("linux,kho-fdt")
                .u64(ByteOrder.BIG_ENDIAN));
        assertEquals(List.of(new MemoryReservation(0x8000_0000L, 0x10_0000L), new MemoryReservation(0xfe00_0000L, 0x1_0000L)),
                fdt.memoryReservations());
        assertEquals(2, fdt.find("/soc/serial@10000000").orElseThrow().requireProperty("reg-shift").length());
    }
}
