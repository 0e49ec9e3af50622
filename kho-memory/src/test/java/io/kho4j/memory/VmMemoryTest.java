package io.kho4j.memory;

import io.kho4j.testsupport.GoldenBytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.WriteContext;
import io.kho4j.testkit.AbiPin;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** kho4j's guest-RAM format pinned by hand: the v1 FDT and the v2 protobuf blob (wire bytes worked out below). */
class VmMemoryTest {
    private static final VmMemorySubsystem VM = new VmMemorySubsystem();
    private static final GuestRam ONE = new GuestRam(List.of(new GuestVm(1, "a", List.of(new PhysRange(1L << 32,
            0x20_0000)), Optional.empty())));

    @Test
    void v1IsAnFdtWithOneNodePerGuest() {
        // Strings newest first: "memory\0" 0, "name\0" 7, "id\0" 12, "compatible\0" 15 = 26 bytes.
        GoldenBytes b = new GoldenBytes();
        b.be32(GoldenBytes.FDT_MAGIC, 218, 64, 192, 48, 17, 16, 0, 26, 128).zeros(8).zeros(16);
        b.be32(GoldenBytes.BEGIN_NODE).zeros(4);                                            // 64
        b.be32(GoldenBytes.PROP, 19, 15).ascii("kho4j,vm-memory-v1\0").zeros(1);            // 72
        b.be32(GoldenBytes.BEGIN_NODE).ascii("vm@1\0\0\0\0");                               // 104
        b.be32(GoldenBytes.PROP, 8, 12).le64(1);                                            // 116: id
        b.be32(GoldenBytes.PROP, 2, 7).ascii("a\0\0\0");                                    // 136: name
        b.be32(GoldenBytes.PROP, 16, 0).le64(1L << 32).le64(0x20_0000);                     // 152: memory {start, size}
        b.be32(GoldenBytes.END_NODE, GoldenBytes.END_NODE, GoldenBytes.END);                            // 180 .. 192
        b.ascii("memory\0name\0id\0compatible\0");
        AbiPin.assertEncodes(VM, ONE, VmMemorySubsystem.V1, WriteContext.of(AbiGeneration.KHO_V1_BITMAP512),
                b.bytes());
    }

    @Test
    void v2IsACompatibleHeaderAndAProtobufMessage() throws Exception {
        // Guest: id=1 -> 08 01; name "a" -> 12 01 61; range {start = 2^32 -> 08 80 80 80 80 10,
        // size = 2^21, three zero 7-bit groups then 1 -> 10 80 80 80 01} -> 1a 0b + 11 bytes;
        // VmMemoryHandover.guest (field 1) -> 0a 12 + 18 bytes.
        byte[] body = java.util.HexFormat.of().parseHex("0a12" + "0801" + "120161" + "1a0b" + "088080808010"
                + "1080808001");
        byte[] header = new GoldenBytes().chars("kho4j,vm-memory-v2", 32).bytes();
        byte[] expected = java.nio.ByteBuffer.allocate(header.length + body.length).put(header).put(body).array();
        AbiPin.assertEncodes(VM, ONE, VmMemorySubsystem.V2, WriteContext.of(AbiGeneration.KHO_V3_BLOB_SIZE), expected);
        assertEquals(ONE, VM.restore(InboundSubtree.of("vm-memory", expected), VmMemorySubsystem.V2));
    }

    @Test
    void v2NeedsBlobSize() {
        assertEquals(Optional.of(VmMemorySubsystem.V1), VM.versionFor(AbiGeneration.KHO_V2_RADIX));
        assertEquals(Optional.of(VmMemorySubsystem.V2), VM.versionFor(AbiGeneration.KHO_V3_BLOB_SIZE));
        assertEquals(Optional.of(VmMemorySubsystem.V2), VM.versionFor(AbiGeneration.KHO_V4_BLOCKS));
    }

    @Test
    void aBrokenProtobufBodyIsATypedRefusal() {
        byte[] blob = java.nio.ByteBuffer.allocate(35).put(new GoldenBytes().chars("kho4j,vm-memory-v2", 32).bytes())
                .put(new byte[] {0x0a, 0x7f, 0x08}).array();
        RestoreException e = assertThrows(RestoreException.class, () -> VM.restore(InboundSubtree.of("vm-memory",
                blob), VmMemorySubsystem.V2));
        assertEquals("vm-memory", e.subsystem());
    }
}
