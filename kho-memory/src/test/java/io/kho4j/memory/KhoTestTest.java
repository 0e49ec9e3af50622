package io.kho4j.memory;

import io.kho4j.testsupport.GoldenBytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.KernelRelease;
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
import io.kho4j.testkit.AbiPin;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lib/test_kho.c's FDT pinned by hand for both folios_info layouts, and the kernel's restore check. */
class KhoTestTest {
    private static final KhoTestSubsystem TEST = new KhoTestSubsystem();
    private static final PhysRange RAM = new PhysRange(0x1_0000_0000L, 0x100_0000L);
    private static final long BASE = 1L << 32;

    /**
     * The FDT prefix both layouts share: strings added "compatible", "magic", "nr_folios", "folios_info", "csum" and
     * stored newest first: "csum\0" 0, "folios_info\0" 5, "nr_folios\0" 17, "magic\0" 27, "compatible\0" 33 = 44.
     */
    private static GoldenBytes header(int total, int strings, int struct) {
        GoldenBytes b = new GoldenBytes();
        b.be32(GoldenBytes.FDT_MAGIC, total, 64, strings, 48, 17, 16, 0, 44, struct).zeros(8).zeros(16);
        b.be32(GoldenBytes.BEGIN_NODE).zeros(4);                                 // 64
        b.be32(GoldenBytes.PROP, 12, 33).ascii("kho-test-v1\0");                 // 72: compatible, fdt_property with sizeof
        b.be32(GoldenBytes.PROP, 4, 27).le32(KhoTestSubsystem.MAGIC);             // 96: magic
        b.be32(GoldenBytes.BEGIN_NODE).ascii("data\0\0\0\0");                     // 112
        b.be32(GoldenBytes.PROP, 4, 17).le32(3);                                  // 124: nr_folios
        return b;
    }

    @Test
    void the617ArrayLayoutIsPinned() {
        GoldenBytes b = header(248, 204, 140);
        b.be32(GoldenBytes.PROP, 24, 5).le64(BASE).le64(BASE + 0x4000 | 2).le64(BASE + 0x1_0000 | 4); // 140: phys | order
        b.be32(GoldenBytes.PROP, 4, 0).le32(0x5a5a1234);                          // 176: csum
        b.be32(GoldenBytes.END_NODE, GoldenBytes.END_NODE, GoldenBytes.END);                 // 192 .. 204
        b.ascii("csum\0folios_info\0nr_folios\0magic\0compatible\0");
        AbiPin.assertEncodes(TEST, MemorySamples.khoTestExample(), KhoTestSubsystem.KHO_TEST_V1,
                WriteContext.of(AbiGeneration.KHO_V1_BITMAP512), b.bytes());
    }

    @Test
    void the618VmallocLayoutIsPinned() throws Exception {
        // The array (3 * 8 bytes) goes in one vmalloc page, then its chunk: top-down 0x100fff000, 0x100ffe000.
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        PreservedAllocator alloc = PreservedAllocator.over(mem, 4096, List.of(RAM), List.of());
        SerializedSubtree s = Subtrees.write(TEST, MemorySamples.khoTestExample(), KhoTestSubsystem.KHO_TEST_V1,
                WriteContext.of(AbiGeneration.KHO_V4_BLOCKS), alloc);
        GoldenBytes b = header(240, 196, 132);
        b.be32(GoldenBytes.PROP, 16, 5).le64(0x1_00ff_e000L).le32(1).le16(1).le16(0); // 140: struct kho_vmalloc
        b.be32(GoldenBytes.PROP, 4, 0).le32(0x5a5a1234);                          // 168: csum
        b.be32(GoldenBytes.END_NODE, GoldenBytes.END_NODE, GoldenBytes.END);                 // 184 .. 196
        b.ascii("csum\0folios_info\0nr_folios\0magic\0compatible\0");
        assertArrayEquals(b.bytes(), s.bytes());
        assertArrayEquals(new GoldenBytes().le64(BASE).le64(BASE + 0x4000 | 2).le64(BASE + 0x1_0000 | 4).bytes(),
                mem.read(0x1_00ff_f000L, 24));
        assertEquals(MemorySamples.khoTestExample(), TEST.restore(InboundSubtree.of("kho_test", 0, s.bytes(),
                AbiGeneration.KHO_V4_BLOCKS, mem, FdtValidator.standard()), KhoTestSubsystem.KHO_TEST_V1));
    }

    @Test
    void theLayoutFollowsTheKernelNotTheString() throws Exception {
        assertEquals(FoliosInfoLayout.ARRAY, FoliosInfoLayout.forKernel(KernelRelease.parse("6.17.9")));
        assertEquals(FoliosInfoLayout.VMALLOC, FoliosInfoLayout.forKernel(KernelRelease.parse("6.18.2")));
        SerializedSubtree stable = Subtrees.write(new KhoTestSubsystem(FoliosInfoLayout.ARRAY, 4096, 16),
                MemorySamples.khoTestExample(), WriteContext.of(AbiGeneration.KHO_V1_BITMAP_PAGE));
        assertEquals(24, stable.nodes().get(1).properties().get(1).length(), "6.17.9+ stable keeps the array");
        assertThrows(IllegalArgumentException.class, () -> Subtrees.write(new KhoTestSubsystem(FoliosInfoLayout.ARRAY,
                4096, 16), MemorySamples.khoTestExample(), WriteContext.of(AbiGeneration.KHO_V3_BLOB_SIZE)));
    }

    @Test
    void twoFoliosAreReadRightInBothLayouts() throws Exception {
        KhoTestState two = new KhoTestState(List.of(new KhoTestFolio(BASE + 0x1_0000_0000L, 1),
                new KhoTestFolio(BASE + 0x2000, 1)), 7);
        for (AbiGeneration g : new AbiGeneration[] {AbiGeneration.KHO_V1_BITMAP512, AbiGeneration.KHO_V1_BITMAP_PAGE,
            AbiGeneration.KHO_V4_BLOCKS}) {
            PhysicalMemory mem = PhysicalMemory.sparse(List.of(new PhysRange(BASE, 0x2_0000_0000L)));
            PreservedAllocator alloc = PreservedAllocator.over(mem, 4096, List.of(RAM), List.of());
            SerializedSubtree s = Subtrees.write(TEST, two, KhoTestSubsystem.KHO_TEST_V1, WriteContext.of(g), alloc);
            assertEquals(two, TEST.restore(InboundSubtree.of("kho_test", 0, s.bytes(), g, mem,
                    FdtValidator.standard()), KhoTestSubsystem.KHO_TEST_V1), g.cliName());
        }
    }

    @Test
    void aGeneratedStatePassesTheKernelsCheckUntilOneByteChanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mem.img");
        byte[] blob;
        KhoTestState state;
        try (MemoryImage mem = MemoryImage.openWritable(file, RAM.start(), RAM.size())) {
            PreservedAllocator alloc = PreservedAllocator.over(mem, 4096, List.of(RAM), List.of());
            state = KhoTestState.generate(alloc, new java.util.SplittableRandom(0x6b686f), 1 << 20,
                    CsumPartial.Arch.X86_64);
            long total = state.folios().stream().mapToLong(f -> 4096L << f.order()).sum();
            assertEquals(1 << 20, total, "max_mem is filled exactly");
            blob = Subtrees.write(TEST, state, KhoTestSubsystem.KHO_TEST_V1, WriteContext.of(AbiGeneration
                    .KHO_V3_BLOB_SIZE), alloc).bytes();
        }
        try (MemoryImage mem = MemoryImage.openWritable(file, RAM.start(), RAM.size())) {
            KhoTestState back = TEST.restore(InboundSubtree.of("kho_test", 0, blob, AbiGeneration.KHO_V3_BLOB_SIZE, mem,
                    FdtValidator.standard()), KhoTestSubsystem.KHO_TEST_V1);
            assertEquals(state, back);
            assertTrue(back.verify(mem, 4096, CsumPartial.Arch.X86_64), "KHO restore succeeded");
            long first = back.folios().get(0).phys();
            byte[] one = mem.read(first + 17, 1);
            mem.write(first + 17, new byte[] {(byte) (one[0] ^ 0x40)});
            assertFalse(back.verify(mem, 4096, CsumPartial.Arch.X86_64), "KHO restore failed");
        }
    }

    @Test
    void theDefaultMaxMemIsTwoMaxOrderFolios() {
        assertEquals(8L << 20, KhoTestState.defaultMaxMem(4096), "(PAGE_SIZE << MAX_PAGE_ORDER) * 2");
    }

    @Test
    void wrongMagicAndMisSizedFoliosInfoAreRefused() throws Exception {
        byte[] good = Subtrees.write(TEST, MemorySamples.khoTestExample(), WriteContext.of(AbiGeneration
                .KHO_V1_BITMAP512)).bytes();
        byte[] badMagic = good.clone();
        badMagic[108] ^= 1;
        RestoreException e = assertThrows(RestoreException.class, () -> TEST.restore(InboundSubtree.of("kho_test",
                badMagic), KhoTestSubsystem.KHO_TEST_V1));
        assertTrue(e.getMessage().contains("magic 0x4b484f20 at offset 108"), e.getMessage());
        byte[] badCount = good.clone();
        badCount[136] = 4;
        RestoreException n = assertThrows(RestoreException.class, () -> TEST.restore(InboundSubtree.of("kho_test",
                badCount), KhoTestSubsystem.KHO_TEST_V1));
        assertTrue(n.getMessage().contains("neither nr_folios * 8 = 32"), n.getMessage());
    }
}
