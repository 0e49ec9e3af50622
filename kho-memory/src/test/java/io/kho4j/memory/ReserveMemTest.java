package io.kho4j.memory;

import io.kho4j.testsupport.GoldenBytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.host.KernelCommandLine;
import io.kho4j.memory.Revival.Outcome;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.Preservation;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import io.kho4j.testkit.AbiPin;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReserveMemTest {
    private static final ReserveMemSubsystem SUBSYSTEM = new ReserveMemSubsystem();

    /**
     * The upstream example (Documentation/core-api/kho/fdt.rst) as 6.16's prepare_kho_fdt writes it with libfdt's
     * sequential API: header 40 bytes, 8 bytes of padding, the reservation map's terminator at 48, the structure at
     * 64. Strings are added "compatible", "start", "size" and stored newest first: "size\0" 0, "start\0" 5,
     * "compatible\0" 11, 22 bytes.
     */
    static byte[] upstreamExample() {
        GoldenBytes b = new GoldenBytes();
        b.be32(GoldenBytes.FDT_MAGIC, 286, 64, 264, 48, 17, 16, 0, 22, 200).zeros(8);
        b.zeros(16);                                                       // 48: reservation map terminator
        b.be32(GoldenBytes.BEGIN_NODE).zeros(4);                                 // 64: root ""
        b.be32(GoldenBytes.PROP, 12, 11).ascii("memblock-v1\0");                 // 72: compatible
        for (long start : new long[] {0x4_6bc0_0000L, 0x4_67c0_0000L}) {
            b.be32(GoldenBytes.BEGIN_NODE).ascii(start == 0x4_6bc0_0000L ? "n1\0\0" : "n2\0\0"); // 96, 176
            b.be32(GoldenBytes.PROP, 15, 11).ascii("reserve-mem-v1\0").zeros(1);  // +8: compatible, 15 bytes padded
            b.be32(GoldenBytes.PROP, 8, 5).le64(start);                          // +36: start
            b.be32(GoldenBytes.PROP, 8, 0).le64(0x400_0000L);                    // +56: size, 64 MiB
            b.be32(GoldenBytes.END_NODE);                                        // +76
        }
        b.be32(GoldenBytes.END_NODE, GoldenBytes.END);                                 // 256, 260
        b.ascii("size\0start\0compatible\0");                              // 264 .. 286
        assertEquals(286, b.size());
        return b.bytes();
    }

    @Test
    void theUpstreamExampleEncodesToTheBytesTheKernelWrites() {
        for (AbiGeneration g : AbiGeneration.values()) {
            AbiPin.assertEncodes(SUBSYSTEM, MemorySamples.reserveMemExample(), ReserveMemSubsystem.MEMBLOCK_V1,
                    WriteContext.of(g), upstreamExample());
        }
    }

    @Test
    void regionsArePreservedAsPageRanges() {
        SerializedSubtree s = Subtrees.write(SUBSYSTEM, MemorySamples.reserveMemExample(),
                WriteContext.of(AbiGeneration.KHO_V4_BLOCKS));
        assertEquals(List.of(new Preservation(new PhysRange(0x4_6bc0_0000L, 0x400_0000L), -1),
                new Preservation(new PhysRange(0x4_67c0_0000L, 0x400_0000L), -1)), s.preservations());
        ReserveMem unaligned = ReserveMem.of(List.of(new ReserveMemRegion("odd", 0x1000_0040L, 0x1000)));
        assertThrows(IllegalArgumentException.class, () -> Subtrees.write(SUBSYSTEM, unaligned,
                WriteContext.of(AbiGeneration.KHO_V1_BITMAP512)), "kho_preserve_phys refuses unaligned ranges");
    }

    @Test
    void theUpstreamBytesRestore() throws Exception {
        ReserveMem back = SUBSYSTEM.restore(InboundSubtree.of("memblock", upstreamExample()),
                ReserveMemSubsystem.MEMBLOCK_V1);
        assertEquals(MemorySamples.reserveMemExample(), back);
    }

    @Test
    void revivalAppliesTheKernelsChecksByName() {
        ReserveMem old = MemorySamples.reserveMemExample();
        Revival ok = old.revive(new ReserveMemRequest("n1", 0x400_0000L, 0x20_0000));
        assertTrue(ok.revived());
        assertEquals(0x4_6bc0_0000L, ok.region().orElseThrow().start());
        Revival misaligned = old.revive(new ReserveMemRequest("n1", 0x400_0000L, 0x8000_0000L));
        assertEquals(Outcome.WRONG_ALIGNMENT, misaligned.outcome());
        assertEquals("KHO reserve-mem 'n1' has wrong alignment (0x80000000, 0x46bc00000); allocated afresh",
                misaligned.message());
        assertEquals(Outcome.WRONG_SIZE, old.revive(new ReserveMemRequest("n2", 0x800_0000L, 64)).outcome());
        assertEquals(Outcome.NOT_HANDED_OVER, old.revive(new ReserveMemRequest("n3", 4096, 64)).outcome());
    }

    @Test
    void childrenTheKernelCannotReviveAreReportedByName() throws Exception {
        // Root "memblock-v1"; child "a" with compatible "other-v1"; child "b" whose start is 4 bytes; child "c" fine.
        GoldenBytes b = new GoldenBytes();
        b.be32(GoldenBytes.FDT_MAGIC, 0, 64, 0, 48, 17, 16, 0, 0, 0).zeros(8).zeros(16);
        int struct = b.size();
        b.be32(GoldenBytes.BEGIN_NODE).zeros(4);
        b.be32(GoldenBytes.PROP, 12, 0).ascii("memblock-v1\0");
        b.be32(GoldenBytes.BEGIN_NODE).ascii("a\0\0\0").be32(GoldenBytes.PROP, 9, 0).ascii("other-v1\0").zeros(3)
                .be32(GoldenBytes.END_NODE);
        b.be32(GoldenBytes.BEGIN_NODE).ascii("b\0\0\0").be32(GoldenBytes.PROP, 15, 0).ascii("reserve-mem-v1\0").zeros(1)
                .be32(GoldenBytes.PROP, 4, 11).le32(0x1000).be32(GoldenBytes.PROP, 8, 17).le64(0x1000).be32(GoldenBytes.END_NODE);
        b.be32(GoldenBytes.BEGIN_NODE).ascii("c\0\0\0").be32(GoldenBytes.PROP, 15, 0).ascii("reserve-mem-v1\0").zeros(1)
                .be32(GoldenBytes.PROP, 8, 11).le64(0x2000).be32(GoldenBytes.PROP, 8, 17).le64(0x1000).be32(GoldenBytes.END_NODE);
        b.be32(GoldenBytes.END_NODE, GoldenBytes.END);
        int strings = b.size();
        b.ascii("compatible\0start\0size\0");
        byte[] blob = b.bytes();
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(blob);
        h.putInt(4, blob.length).putInt(12, strings).putInt(32, blob.length - strings).putInt(36, strings - struct);

        ReserveMem back = SUBSYSTEM.restore(InboundSubtree.of("memblock", blob), ReserveMemSubsystem.MEMBLOCK_V1);
        assertEquals(List.of(new ReserveMemRegion("c", 0x2000, 0x1000)), back.regions());
        assertEquals(Outcome.INCOMPATIBLE, back.revive(new ReserveMemRequest("a", 4096, 64)).outcome());
        assertEquals(Outcome.BAD_PROPERTIES, back.revive(new ReserveMemRequest("b", 4096, 64)).outcome());
        assertTrue(back.revive(new ReserveMemRequest("c", 4096, 64)).revived());
    }

    @Test
    void commandLinesParseAsTheKernelParsesThem() throws Exception {
        List<ReserveMemRequest> r = ReserveMemRequest.fromCommandLine(KernelCommandLine.parse(
                "quiet reserve_mem=12M:4096:trace reserve-mem=0x100000:0:oops  reserve_mem=1G:1M:with:colon"));
        assertEquals(List.of(new ReserveMemRequest("trace", 12L << 20, 4096),
                new ReserveMemRequest("oops", 0x10_0000, 64),
                new ReserveMemRequest("with:colon", 1L << 30, 1 << 20)), r, "align 0 becomes SMP_CACHE_BYTES");
    }

    @Test
    void parametersTheKernelRefusesAreAllNamed() {
        for (String bad : new String[] {"", "0:64:x", ":64:x", "12M", "12M:64", "12M:64:", "12M:64:   ",
            "12M:64:0123456789abcdef", "12M-64:x", "12M:3:x"}) {
            assertThrows(ReserveMemParameterException.class, () -> ReserveMemRequest.parse(bad), bad);
        }
        ReserveMemParameterException e = assertThrows(ReserveMemParameterException.class, () -> ReserveMemRequest
                .fromCommandLine(KernelCommandLine.parse("reserve_mem=1M:4K:a reserve_mem=2M:4K:a reserve_mem=0:0:b")));
        assertTrue(e.getMessage().contains("'a' is already used (-EBUSY)"), e.getMessage());
        assertTrue(e.getMessage().contains("reserve_mem=0:0:b"), e.getMessage());
        StringBuilder nine = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            nine.append(" reserve_mem=1M:4K:r").append(i);
        }
        assertThrows(ReserveMemParameterException.class, () -> ReserveMemRequest.fromCommandLine(
                KernelCommandLine.parse(nine.toString())), "RESERVE_MEM_MAX_ENTRIES is 8");
    }

    @Test
    void allocationIsTopDownAndAligned() throws Exception {
        List<ReserveMemRequest> q = List.of(new ReserveMemRequest("a", 0x30_0000, 0x20_0000),
                new ReserveMemRequest("b", 0x1000, 0x1000));
        ReserveMem m = ReserveMem.allocate(q, List.of(new PhysRange(0x1000_0000L, 0x100_0000L)));
        assertEquals(List.of(new ReserveMemRegion("a", 0x10c0_0000L, 0x30_0000),
                new ReserveMemRegion("b", 0x10ff_f000L, 0x1000)), m.regions(), "b fits above a, below the end");
        assertThrows(ReserveMemParameterException.class, () -> ReserveMem.allocate(
                List.of(new ReserveMemRequest("big", 0x200_0000L, 64)), List.of(new PhysRange(0, 0x100_0000L))));
        assertFalse(MemorySamples.reserveMemExample().region("n9").isPresent());
    }
}
