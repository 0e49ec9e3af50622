package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.host.PhysicalMemory;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandOffTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final KhoData DATA = new KhoData(0x1_2345_6000L, 0x1000, 0xabc_0000L, 0x40);

    @Test
    void khoDataIsFourPackedLittleEndianU64s() {
        byte[] expected = HEX.parseHex("0060452301000000" + "0010000000000000" + "0000bc0a00000000" + "4000000000000000");
        assertArrayEquals(expected, DATA.toBytes());
        assertEquals(DATA, KhoData.fromBytes(expected));
    }

    @Test
    void setupDataNodeIsHeaderThenPayload() {
        byte[] node = SetupDataChain.encodeKhoNode(0x9000, DATA);
        // struct setup_data { u64 next; u32 type; u32 len; } then struct kho_data
        assertEquals("0090000000000000" + "0a000000" + "20000000", HEX.formatHex(node, 0, 16));
        assertArrayEquals(DATA.toBytes(), java.util.Arrays.copyOfRange(node, 16, 48));
    }

    @Test
    void findsTheKhoNodeBehindAnotherNode() throws Exception {
        PhysicalMemory mem = PhysicalMemory.ofHeap(0x1000, 0x4000);
        // an unrelated node (type 2 = SETUP_DTB) of 8 payload bytes at 0x2000, then the KHO node at 0x3000
        mem.writeU64(0x2000, 0x3000, ByteOrder.LITTLE_ENDIAN);
        mem.writeU32(0x2008, 2, ByteOrder.LITTLE_ENDIAN);
        mem.writeU32(0x200c, 8, ByteOrder.LITTLE_ENDIAN);
        mem.write(0x3000, SetupDataChain.encodeKhoNode(0, DATA));
        assertEquals(DATA, SetupDataChain.findKho(mem, 0x2000).orElseThrow());
        assertTrue(SetupDataChain.findKho(mem, 0).isEmpty());
    }

    @Test
    void refusesCyclesNodesOutsideRamAndWrongLengths() throws Exception {
        PhysicalMemory mem = PhysicalMemory.ofHeap(0x1000, 0x4000);
        mem.writeU64(0x2000, 0x2100, ByteOrder.LITTLE_ENDIAN);
        mem.writeU32(0x2008, 1, ByteOrder.LITTLE_ENDIAN);
        mem.writeU64(0x2100, 0x2000, ByteOrder.LITTLE_ENDIAN);
        mem.writeU32(0x2108, 1, ByteOrder.LITTLE_ENDIAN);
        HandOffFormatException cycle = assertThrows(HandOffFormatException.class,
                () -> SetupDataChain.findKho(mem, 0x2000));
        assertEquals(0x2000, cycle.address());

        assertEquals(0x9_0000, assertThrows(HandOffFormatException.class,
                () -> SetupDataChain.findKho(mem, 0x9_0000)).address());

        mem.writeU64(0x3000, 0, ByteOrder.LITTLE_ENDIAN);
        mem.writeU32(0x3008, SetupDataChain.SETUP_KEXEC_KHO, ByteOrder.LITTLE_ENDIAN);
        mem.writeU32(0x300c, 24, ByteOrder.LITTLE_ENDIAN);
        assertTrue(assertThrows(HandOffFormatException.class, () -> SetupDataChain.findKho(mem, 0x3000))
                .getMessage().contains("len 24"));

        mem.writeU32(0x300c, 0x7fff_0000, ByteOrder.LITTLE_ENDIAN);
        mem.writeU32(0x3008, 7, ByteOrder.LITTLE_ENDIAN);
        assertThrows(HandOffFormatException.class, () -> SetupDataChain.findKho(mem, 0x3000));
    }

    private static ValidatedFdt dtb(int addressCells, int sizeCells, boolean staleKho) throws Exception {
        FdtWriter w = FdtWriter.create().addReservation(0x8000_0000L, 0x1000);
        w.beginNode("");
        if (addressCells > 0) {
            w.propertyU32("#address-cells", addressCells, ByteOrder.BIG_ENDIAN);
            w.propertyU32("#size-cells", sizeCells, ByteOrder.BIG_ENDIAN);
        }
        w.beginNode("chosen").propertyStrings("bootargs", "console=ttyAMA0");
        if (staleKho) {
            w.property(ChosenHandOff.FDT_PROPERTY, new byte[12]).property(ChosenHandOff.SCRATCH_PROPERTY, new byte[12]);
        }
        w.endNode().endNode();
        return FdtValidator.standard().validate(w.finish());
    }

    @Test
    void chosenCellsAreBigEndianAndSizedByTheRoot() throws Exception {
        ValidatedFdt out = FdtValidator.standard().validate(ChosenHandOff.apply(dtb(2, 2, false), DATA, false));
        assertEquals("000000012345600000000000" + "00001000",
                HEX.formatHex(out.find("/chosen").orElseThrow().requireProperty("linux,kho-fdt").bytes()));
        assertEquals(DATA, ChosenHandOff.read(out).orElseThrow());
        assertEquals("console=ttyAMA0", out.find("/chosen").orElseThrow().requireProperty("bootargs").string());
        assertEquals(1, out.memoryReservations().size());

        ValidatedFdt narrow = FdtValidator.standard().validate(
                ChosenHandOff.apply(dtb(2, 1, false), DATA, false));
        assertEquals(12, narrow.find("/chosen").orElseThrow().requireProperty("linux,kho-scratch").length());
        assertEquals(DATA, ChosenHandOff.read(narrow).orElseThrow());

        // libfdt defaults without #address-cells/#size-cells: 2 and 1
        ValidatedFdt dflt = FdtValidator.standard().validate(ChosenHandOff.apply(dtb(0, 0, false), DATA, false));
        assertEquals(12, dflt.find("/chosen").orElseThrow().requireProperty("linux,kho-fdt").length());
    }

    @Test
    void staleCopiesAreReplacedNotAppendedAndCrashKernelsGetNone() throws Exception {
        ValidatedFdt out = FdtValidator.standard().validate(ChosenHandOff.apply(dtb(2, 2, true), DATA, false));
        long count = out.find("/chosen").orElseThrow().properties().stream()
                .filter(p -> p.name().startsWith("linux,kho")).count();
        assertEquals(2, count);
        assertEquals(16, out.find("/chosen").orElseThrow().requireProperty("linux,kho-fdt").length());

        ValidatedFdt crash = FdtValidator.standard().validate(ChosenHandOff.apply(dtb(2, 2, true), DATA, true));
        assertTrue(ChosenHandOff.read(crash).isEmpty());
    }

    /**
     * Found by HandOffFuzzTest (input kept): libfdt's path lookup, and so the kernel, takes a node named
     * "chosen@..." for /chosen; apply used to add a second node named "chosen" after it, which nobody reads.
     */
    @Test
    void applyEditsTheNodeTheKernelReadsAsChosen() throws Exception {
        byte[] boot = FdtWriter.create().beginNode("").beginNode("chosen@0")
                .property("linux,kho-fdt", new byte[16]).propertyStrings("bootargs", "quiet").endNode()
                .beginNode("chosen").endNode().endNode().finish();
        ValidatedFdt out = FdtValidator.standard().validate(ChosenHandOff.apply(FdtValidator.standard().validate(boot),
                DATA, false));
        assertEquals(DATA, ChosenHandOff.read(out).orElseThrow());
        assertEquals("chosen@0", out.find("/chosen").orElseThrow().name());
        assertEquals(List.of("chosen@0", "chosen"), out.root().children().stream().map(FdtNode::name).toList());
        assertTrue(out.find("/chosen@0").orElseThrow().property("bootargs").isPresent());
    }

    /** Found by HandOffFuzzTest (input kept): an unnamed child made apply throw IllegalArgumentException. */
    @Test
    void aBootDtbTheWriterCannotRewriteIsAHandOffFormatException() throws Exception {
        byte[] boot = FdtWriter.create().beginNode("").beginNode("chosen").endNode().beginNode("x").endNode().endNode()
                .finish();
        int name = indexOf(boot, new byte[] {'x', 0});
        boot[name] = 0; // the child "x" becomes "", which libfdt and our validator accept
        ValidatedFdt dtb = FdtValidator.standard().validate(boot);
        assertEquals("", dtb.root().children().get(1).name());
        HandOffFormatException e = assertThrows(HandOffFormatException.class,
                () -> ChosenHandOff.apply(dtb, DATA, false));
        assertTrue(e.getMessage().contains("cannot be rewritten"), e.getMessage());
    }

    private static int indexOf(byte[] b, byte[] what) {
        for (int i = 0; i + what.length <= b.length; i++) {
            if (java.util.Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void readerChecksLengthsAndCellFits() throws Exception {
        // stale 12-byte values under #address-cells=2/#size-cells=2 are the wrong length
        assertTrue(assertThrows(HandOffFormatException.class, () -> ChosenHandOff.read(dtb(2, 2, true)))
                .getMessage().contains("expected 16"));
        assertThrows(HandOffFormatException.class, () -> ChosenHandOff.apply(dtb(1, 1, false), DATA, false));
        assertFalse(ChosenHandOff.read(dtb(2, 2, false)).isPresent());
    }
}
