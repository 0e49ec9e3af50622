package io.kho4j.memory;

import io.kho4j.testsupport.GoldenBytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.host.MemoryImage;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.PreservedAllocator;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LUO bytes pinned by hand from include/linux/kho/abi/luo.h and memfd.h (kho-abi.md §4, §9.6), the version matrix,
 * and hostile memory. Allocations are top-down in [0x1_0080_0000, 0x1_0100_0000), so every address below is worked
 * out by hand from the order the writer allocates in.
 */
class LuoTest {
    private static final LuoSubsystem LUO = new LuoSubsystem();
    private static final PhysRange RAM = new PhysRange(0x1_0000_0000L, 0x100_0000L);
    private static final PhysRange ALLOC = new PhysRange(0x1_0080_0000L, 0x80_0000L);
    private static final long FOLIO = 0x1_0000_0000L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Session "s" with token 9: a one-page memfd at pos 5, its folio at 4 GiB, dirty and up to date; no FLBs. */
    private static LuoState small() {
        MemfdFile f = new MemfdFile(5, 4096, 0, 0, List.of(new MemfdFolio(FOLIO, 0, 0, 3)));
        return new LuoState(2, List.of(new LuoSession("s", List.of(new LuoFile(9, f)))), Optional.of(List.of()));
    }

    private record Written(SerializedSubtree subtree, PhysicalMemory memory) {
        InboundSubtree inbound() {
            return InboundSubtree.of("LUO", 0, subtree.bytes(), subtree.context().generation(), memory,
                    FdtValidator.standard());
        }
    }

    private static Written write(LuoState state, AbiGeneration g) {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        PreservedAllocator alloc = PreservedAllocator.over(mem, 4096, List.of(ALLOC), List.of());
        WriteContext ctx = WriteContext.of(g);
        return new Written(Subtrees.write(LUO, state, LUO.versionFor(g).orElseThrow(), ctx, alloc), mem);
    }

    private static String hex(PhysicalMemory m, long phys, int len) throws Exception {
        return HexFormat.of().formatHex(m.read(phys, len));
    }

    private static String le64(long v) {
        return HexFormat.of().formatHex(new GoldenBytes().le64(v).bytes());
    }

    private static String chars(String s, int n) {
        return HexFormat.of().formatHex(new GoldenBytes().chars(s, n).bytes());
    }

    @Test
    void luoV1IsTheFdtThe70KernelWritesAndItsStructsAreInPlace() throws Exception {
        Written w = write(small(), AbiGeneration.KHO_V1_BITMAP_PAGE);
        // Allocations: session area (order 4) 0x100ff0000, FLB page 0x100fef000, file area (order 1) 0x100fec000,
        // memfd_luo_ser 0x100feb000, folio array page 0x100fea000, its vmalloc chunk 0x100fe9000.
        // Strings, newest first: "luo-flb-header\0" 0, "luo-session-header\0" 15, "liveupdate-number\0" 34,
        // "compatible\0" 52 = 63 bytes.
        GoldenBytes b = new GoldenBytes();
        b.be32(GoldenBytes.FDT_MAGIC, 311, 64, 248, 48, 17, 16, 0, 63, 184).zeros(8).zeros(16);
        b.be32(GoldenBytes.BEGIN_NODE).zeros(4);                                            // 64
        b.be32(GoldenBytes.PROP, 7, 52).ascii("luo-v1\0").zeros(1);                         // 72
        b.be32(GoldenBytes.PROP, 8, 34).le64(2);                                            // 92: liveupdate-number
        b.be32(GoldenBytes.BEGIN_NODE).ascii("luo-session\0");                              // 112
        b.be32(GoldenBytes.PROP, 15, 52).ascii("luo-session-v2\0").zeros(1);                // 128
        b.be32(GoldenBytes.PROP, 8, 15).le64(0x1_00ff_0000L);                               // 156: luo-session-header
        b.be32(GoldenBytes.END_NODE);                                                       // 176
        b.be32(GoldenBytes.BEGIN_NODE).ascii("luo-flb\0");                                  // 180
        b.be32(GoldenBytes.PROP, 11, 52).ascii("luo-flb-v1\0").zeros(1);                    // 192
        b.be32(GoldenBytes.PROP, 8, 0).le64(0x1_00fe_f000L);                                // 216: luo-flb-header
        b.be32(GoldenBytes.END_NODE, GoldenBytes.END_NODE, GoldenBytes.END);                            // 236 .. 248
        b.ascii("luo-flb-header\0luo-session-header\0liveupdate-number\0compatible\0");
        assertArrayEquals(b.bytes(), w.subtree().bytes());

        PhysicalMemory m = w.memory();
        // luo_session_header_ser { count = 1 } then luo_session_ser { name[64], files, count }.
        assertEquals(le64(1) + chars("s", 64) + le64(0x1_00fe_c000L) + le64(1), hex(m, 0x1_00ff_0000L, 88));
        // luo_flb_header_ser { pgcnt = 1, count = 0 }.
        assertEquals(le64(1) + le64(0), hex(m, 0x1_00fe_f000L, 16));
        // luo_file_ser { compatible[48] = "memfd-v1", data = &memfd_luo_ser, token = 9 }.
        assertEquals(chars("memfd-v1", 48) + le64(0x1_00fe_b000L) + le64(9), hex(m, 0x1_00fe_c000L, 64));
        // memfd-v1 memfd_luo_ser { pos 5, size 4096, nr_folios 1, kho_vmalloc { first, 1 page, ALLOC, order 0 } }.
        assertEquals(le64(5) + le64(4096) + le64(1) + le64(0x1_00fe_9000L) + "01000000" + "0100" + "0000",
                hex(m, 0x1_00fe_b000L, 40));
        // memfd_luo_folio_ser { pfn:52 = 0x100000, flags:12 = DIRTY|UPTODATE, index = 0 }: flags in the top bits.
        assertEquals(le64(0x0030_0000_0010_0000L) + le64(0), hex(m, 0x1_00fe_a000L, 16));
        assertEquals(le64(0) + le64(0x1_00fe_a000L) + le64(0), hex(m, 0x1_00fe_9000L, 24));
        assertEquals(small(), LUO.restore(w.inbound(), LuoSubsystem.LUO_V1));
    }

    @Test
    void luoV5IsThePacked32ByteStructWithSessionsAndFilesInBlocks() throws Exception {
        Written w = write(small(), AbiGeneration.KHO_V4_BLOCKS);
        // Allocations: memfd_luo_ser 0x100fff000, folio array 0x100ffe000, chunk 0x100ffd000, file block
        // 0x100ffc000, session block 0x100ffb000, FLB page 0x100ffa000.
        assertEquals(chars("luo-v5", 8) + le64(2) + le64(0x1_00ff_b000L) + le64(0x1_00ff_a000L),
                HexFormat.of().formatHex(w.subtree().bytes()));
        assertTrue(w.subtree().isRaw());
        PhysicalMemory m = w.memory();
        assertEquals(le64(0) + le64(1) + chars("s", 64) + le64(0x1_00ff_c000L) + le64(1), hex(m, 0x1_00ff_b000L, 96));
        assertEquals(le64(0) + le64(1) + chars("memfd-v2", 48) + le64(0x1_00ff_f000L) + le64(9),
                hex(m, 0x1_00ff_c000L, 80));
        // memfd-v2 adds u32 seals and u32 flags after size: 48 bytes.
        assertEquals(le64(5) + le64(4096) + "00000000" + "00000000" + le64(1) + le64(0x1_00ff_d000L) + "01000000"
                + "0100" + "0000", hex(m, 0x1_00ff_f000L, 48));
        assertEquals(le64(1) + le64(0), hex(m, 0x1_00ff_a000L, 16));
        assertEquals(small(), LUO.restore(w.inbound(), LuoSubsystem.LUO_V5));
    }

    @Test
    void eachGenerationWritesTheLayoutItsKernelsWrite() {
        assertEquals(Optional.empty(), LUO.versionFor(AbiGeneration.KHO_V1_BITMAP512), "no LUO before 6.19");
        assertEquals(Optional.of(LuoSubsystem.LUO_V1), LUO.versionFor(AbiGeneration.KHO_V1_BITMAP_PAGE));
        assertEquals(Optional.of(LuoSubsystem.LUO_V1), LUO.versionFor(AbiGeneration.KHO_V2_RADIX));
        assertEquals(Optional.of(LuoSubsystem.LUO_V1), LUO.versionFor(AbiGeneration.KHO_V3_BLOB_SIZE));
        assertEquals(Optional.of(LuoSubsystem.LUO_V5), LUO.versionFor(AbiGeneration.KHO_V4_BLOCKS));
        assertEquals(MemfdFile.V1, LuoSubsystem.memfdVersion(AbiGeneration.KHO_V1_BITMAP_PAGE));
        assertEquals(MemfdFile.V2, LuoSubsystem.memfdVersion(AbiGeneration.KHO_V3_BLOB_SIZE));
        assertEquals(MemfdFile.V2, LuoSubsystem.memfdVersion(AbiGeneration.KHO_V4_BLOCKS));
        assertThrows(IllegalArgumentException.class, () -> Subtrees.write(LUO, small(), LuoSubsystem.LUO_V5,
                WriteContext.of(AbiGeneration.KHO_V3_BLOB_SIZE)), "luo-v5 is 7.2+");
    }

    @Test
    void sealsNeedMemfdV2() {
        LuoState sealed = new LuoState(1, List.of(new LuoSession("s", List.of(new LuoFile(1, new MemfdFile(0, 0,
                0x0f, 0, List.of()))))), Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> write(sealed, AbiGeneration.KHO_V1_BITMAP_PAGE));
        Written w = write(sealed, AbiGeneration.KHO_V3_BLOB_SIZE);
        assertEquals(sealed, assertDoesNotThrowRestore(w, LuoSubsystem.LUO_V1));
    }

    private static LuoState assertDoesNotThrowRestore(Written w, CompatibleString v) {
        try {
            return LUO.restore(w.inbound(), v);
        } catch (RestoreException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void neverShippedVersionsAreRefusedWithTheReason() {
        byte[] v3 = new GoldenBytes().chars("luo-v3", 8).le64(1).le64(0).le64(0).bytes();
        RestoreException e = assertThrows(RestoreException.class, () -> LUO.versionsIn(InboundSubtree.of("LUO", v3)));
        assertTrue(e.getMessage().contains("no kernel release writes it"), e.getMessage());
        RestoreException small = assertThrows(RestoreException.class, () -> LUO.versionsIn(InboundSubtree.of("LUO",
                new byte[31])));
        assertTrue(small.getMessage().contains("LUO state is too small: 31 bytes"), small.getMessage());
    }

    @Test
    void aFileCountThatDisagreesWithTheBlocksIsRefused() throws Exception {
        Written w = write(small(), AbiGeneration.KHO_V4_BLOCKS);
        w.memory().writeU64(0x1_00ff_b000L + 16 + 72, 2, LE);
        RestoreException e = assertThrows(RestoreException.class, () -> LUO.restore(w.inbound(), LuoSubsystem.LUO_V5));
        assertTrue(e.getMessage().contains("File count mismatch: expected 2, found 1"), e.getMessage());
    }

    @Test
    void hostileChainsAndFoliosAreRefusedWithTheirAddress() throws Exception {
        Written cycle = write(small(), AbiGeneration.KHO_V4_BLOCKS);
        cycle.memory().writeU64(0x1_00ff_b000L, 0x1_00ff_b000L, LE);
        RestoreException c = assertThrows(RestoreException.class, () -> LUO.restore(cycle.inbound(),
                LuoSubsystem.LUO_V5));
        assertTrue(c.getMessage().contains("CYCLE at 0x100ffb000"), c.getMessage());

        Written empty = write(small(), AbiGeneration.KHO_V4_BLOCKS);
        empty.memory().writeU64(0x1_00ff_c000L + 8, 0, LE);
        assertTrue(assertThrows(RestoreException.class, () -> LUO.restore(empty.inbound(), LuoSubsystem.LUO_V5))
                .getMessage().contains("BAD_COUNT at 0x100ffc000"));

        Written flags = write(small(), AbiGeneration.KHO_V4_BLOCKS);
        flags.memory().writeU64(0x1_00ff_e000L, 0x0070_0000_0010_0000L, LE);
        assertTrue(assertThrows(RestoreException.class, () -> LUO.restore(flags.inbound(), LuoSubsystem.LUO_V5))
                .getMessage().contains("unused flag bits must be 0"));

        Written outside = write(small(), AbiGeneration.KHO_V4_BLOCKS);
        outside.memory().writeU64(0x1_00ff_e000L, 0x0030_0000_00ff_0000L, LE);
        assertTrue(assertThrows(RestoreException.class, () -> LUO.restore(outside.inbound(), LuoSubsystem.LUO_V5))
                .getMessage().contains("not inside RAM"));

        Written many = write(small(), AbiGeneration.KHO_V1_BITMAP_PAGE);
        many.memory().writeU64(0x1_00ff_0000L, 5000, LE);
        assertTrue(assertThrows(RestoreException.class, () -> LUO.restore(many.inbound(), LuoSubsystem.LUO_V1))
                .getMessage().contains("count 5000, the 16-page area holds 819"));
    }

    @Test
    void memfdContentsRoundTripThroughAMemoryImage(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("mem.img");
        long base = RAM.start();
        byte[] blob;
        LuoState state;
        try (MemoryImage mem = MemoryImage.openWritable(image, base, RAM.size())) {
            PreservedAllocator alloc = PreservedAllocator.over(mem, 4096, List.of(RAM), List.of());
            state = MemorySamples.luo(AbiGeneration.KHO_V4_BLOCKS, alloc);
            blob = Subtrees.write(LUO, state, LuoSubsystem.LUO_V5, WriteContext.of(AbiGeneration.KHO_V4_BLOCKS), alloc)
                    .bytes();
        }
        assertTrue(Files.size(image) <= RAM.size());
        try (MemoryImage mem = MemoryImage.open(image, base)) {
            LuoState back = LUO.restore(InboundSubtree.of("LUO", 0x1_0000_0000L, blob, AbiGeneration.KHO_V4_BLOCKS, mem,
                    FdtValidator.standard()), LuoSubsystem.LUO_V5);
            assertEquals(state, back);
            MemfdFile guest = (MemfdFile) back.session("vm-42").orElseThrow().files().get(0).data();
            assertEquals(0x0f, guest.seals());
            String text = new String(guest.read(mem, 4096), java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(text.startsWith("guest RAM page guest RAM page"), text.substring(0, 40));
            assertEquals(3 * 4096 - 10, text.length());
        }
    }
}
