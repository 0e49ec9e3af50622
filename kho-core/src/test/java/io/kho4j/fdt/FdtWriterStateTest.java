package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The writer's state machine (reservations → struct → done), like libfdt's fdt_sw.c. */
class FdtWriterStateTest {

    private static void refused(Class<? extends RuntimeException> type, FdtWriter w, Consumer<FdtWriter> call,
            String messagePart) {
        RuntimeException e = assertThrows(type, () -> call.accept(w));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void structCallsBeforeTheRootAreRefused() {
        FdtWriter w = FdtWriter.create();
        refused(IllegalStateException.class, w, x -> x.endNode(), "state RESERVATIONS");
        refused(IllegalStateException.class, w, x -> x.propertyEmpty("p"), "state RESERVATIONS");
        refused(IllegalStateException.class, w, x -> x.finish(), "state RESERVATIONS");
    }

    @Test
    void reservationsAfterTheFirstNodeAreRefused() {
        FdtWriter w = FdtWriter.create().beginNode("");
        refused(IllegalStateException.class, w, x -> x.addReservation(0x1000, 0x1000), "state STRUCT");
    }

    @Test
    void theRootMustBeUnnamedAndOnlyTheRoot() {
        refused(IllegalArgumentException.class, FdtWriter.create(), x -> x.beginNode("root"), "must be named");
        refused(IllegalArgumentException.class, FdtWriter.create().beginNode(""), x -> x.beginNode(""), "only the root");
    }

    @Test
    void aRefusedRootNameLeavesTheWriterUsable() {
        FdtWriter w = FdtWriter.create();
        assertThrows(IllegalArgumentException.class, () -> w.beginNode("root"));
        w.addReservation(0x1000, 0x2000); // still in RESERVATIONS
        byte[] blob = w.beginNode("").endNode().finish();
        assertEquals(1, assertValid(blob).memoryReservations().size());
    }

    @Test
    void aSecondRootIsRefused() {
        FdtWriter w = FdtWriter.create().beginNode("").endNode();
        refused(IllegalStateException.class, w, x -> x.beginNode("x"), "after the root node was closed");
        refused(IllegalStateException.class, w, x -> x.endNode(), "no open node");
        refused(IllegalStateException.class, w, x -> x.propertyEmpty("p"), "outside any node");
    }

    @Test
    void propertiesAfterAChildAreRefused() {
        FdtWriter w = FdtWriter.create().beginNode("").beginNode("c").endNode();
        refused(IllegalStateException.class, w, x -> x.propertyEmpty("late"), "after a child node");
        // the child itself may still get properties before its own children
        w.beginNode("d").propertyEmpty("early").endNode().endNode();
        assertEquals(3, assertValid(w.finish()).nodeCount());
    }

    @Test
    void finishWithOpenNodesIsRefused() {
        refused(IllegalStateException.class, FdtWriter.create().beginNode("").beginNode("c"), FdtWriter::finish,
                "2 node(s) still open");
    }

    @Test
    void everyCallAfterFinishIsRefused() {
        FdtWriter w = FdtWriter.create().beginNode("");
        w.endNode().finish();
        refused(IllegalStateException.class, w, x -> x.beginNode("x"), "state DONE");
        refused(IllegalStateException.class, w, x -> x.finish(), "state DONE");
        refused(IllegalStateException.class, w, x -> x.bootCpuidPhys(1), "state DONE");
        refused(IllegalStateException.class, w, x -> x.addReservation(1, 1), "state DONE");
    }

    @Test
    void aPlaceholderNeverFilledFailsFinish() {
        FdtWriter w = FdtWriter.create().beginNode("");
        w.placeholder("preserved-memory-map", 8);
        w.endNode();
        refused(IllegalStateException.class, w, FdtWriter::finish, "placeholder \"preserved-memory-map\" was never filled");
    }

    @ParameterizedTest
    @EnumSource(FdtWriter.Layout.class)
    void aPlaceholderFilledLaterLandsBeforeTheChildren(FdtWriter.Layout layout) throws Exception {
        // kho_finalize (6.16, kho-abi.md §1): compatible, a placeholder for the memory map, subtrees, then fill.
        FdtWriter w = FdtWriter.create(layout).beginNode("").propertyStrings("compatible", "kho-v1");
        FdtWriter.Placeholder map = w.placeholder("preserved-memory-map", 8);
        w.beginNode("memblock").propertyU64("fdt", 0x1_1517_0000L, ByteOrder.LITTLE_ENDIAN).endNode();
        map.fillU64(0x1_16be_4000L, ByteOrder.LITTLE_ENDIAN);
        byte[] blob = w.endNode().finish();
        refused(IllegalStateException.class, w, x -> map.fillU64(0, ByteOrder.LITTLE_ENDIAN), "after finish");
        ValidatedFdt fdt = assertValid(blob);
        assertEquals(0x1_16be_4000L, fdt.root().requireProperty("preserved-memory-map").u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals("node /\nprop / compatible 6b686f2d763100\nprop / preserved-memory-map 0040be1601000000\n"
                + "node /memblock\nprop /memblock fdt 0000171501000000\n", CanonicalDump.toString(fdt)
                .substring(CanonicalDump.toString(fdt).indexOf('\n') + 1));
    }

    @Test
    void aPlaceholderFillOfTheWrongLengthIsRefused() {
        FdtWriter.Placeholder p = FdtWriter.create().beginNode("").placeholder("p", 8);
        assertThrows(IllegalArgumentException.class, () -> p.fill(new byte[4]));
    }

    @Test
    void badArgumentsLeaveNoPartialProperty() throws Exception {
        FdtWriter w = FdtWriter.create().beginNode("");
        assertThrows(IndexOutOfBoundsException.class, () -> w.property("p", new byte[4], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> w.propertyStrings("s", "nul\0inside"));
        assertThrows(IllegalArgumentException.class, () -> w.propertyEmpty("caf\u00e9\u20ac"));
        byte[] blob = w.propertyEmpty("ok").endNode().finish();
        assertEquals(1, assertValid(blob).propertyCount());
        assertArrayEquals(FdtWriter.create().beginNode("").propertyEmpty("ok").endNode().finish(), blob);
    }

    private static ValidatedFdt assertValid(byte[] blob) {
        try {
            return FdtValidator.standard().validate(blob);
        } catch (FdtFormatException e) {
            throw new AssertionError(e);
        }
    }
}
