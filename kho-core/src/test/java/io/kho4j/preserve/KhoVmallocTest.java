package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PreservedStructureException.Kind;
import io.kho4j.spi.KhoVmalloc;
import io.kho4j.spi.PreservedAllocator;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code struct kho_vmalloc} and its chunk list (kho-abi.md §2). Expected bytes are written out by hand from the
 * struct definitions; hostile lists are assembled field by field with {@link Raw}.
 */
class KhoVmallocTest {
    private static final PhysRange RAM = new PhysRange(0x10_0000, 0x40_0000);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int PAGE = 4096;

    private static PhysicalMemory memory() {
        return PhysicalMemory.sparse(List.of(RAM));
    }

    @Test
    void entriesPerChunkIsKhoVmallocSize() {
        assertEquals(511, KhoVmalloc.entriesPerChunk(4096), "(4096 - 8) / 8");
        assertEquals(2047, KhoVmalloc.entriesPerChunk(16384));
        assertEquals(8191, KhoVmalloc.entriesPerChunk(65536));
    }

    @Test
    void twoPagesOfDataGiveThePinnedDescriptorAndChunk() throws Exception {
        PhysicalMemory mem = memory();
        PreservedAllocator alloc = PreservedAllocator.over(mem, PAGE, List.of(RAM), List.of());
        byte[] data = new byte[PAGE + 8];
        data[0] = 0x11;
        data[PAGE] = 0x22;
        KhoVmalloc v = KhoVmalloc.write(alloc, data, LE);
        // Top-down allocation: data pages 0x4ff000 and 0x4fe000, then the chunk at 0x4fd000.
        // first = 0x4fd000 (u64 LE), total_pages = 2 (u32), flags = KHO_VMALLOC_ALLOC (u16), order = 0 (u16).
        assertEquals("00d04f0000000000" + "02000000" + "0100" + "0000", HexFormat.of().formatHex(v.encode(LE)));
        // Chunk: hdr.next = 0, phys[0] = 0x4ff000, phys[1] = 0x4fe000, phys[2] = 0 terminates.
        assertEquals("0000000000000000" + "00f04f0000000000" + "00e04f0000000000" + "0000000000000000",
                HexFormat.of().formatHex(mem.read(0x4fd000, 32)));
        assertArrayEquals(new byte[PAGE - 32], mem.read(0x4fd000 + 32, PAGE - 32), "the rest of the chunk is zero");
        assertEquals(0x11, mem.read(0x4ff000, 1)[0]);
        assertEquals(0x22, mem.read(0x4fe000, 1)[0]);
        assertEquals(List.of(0x4ff000L, 0x4fe000L), v.blocks(mem, PAGE, LE, 2));
        assertEquals(v, KhoVmalloc.decode(v.encode(LE), LE));
    }

    @Test
    void aFullChunkIsFollowedByAnEmptyOneAsTheKernelWritesIt() throws Exception {
        PhysicalMemory mem = memory();
        PreservedAllocator alloc = PreservedAllocator.over(mem, PAGE, List.of(RAM), List.of());
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 511; i++) {
            blocks.add(0x10_0000L + (long) i * PAGE);
        }
        KhoVmalloc v = KhoVmalloc.writeChunks(alloc, blocks, 0, KhoVmalloc.FLAG_ALLOC, LE);
        // Chunks allocated top-down: 0x4ff000 (full), 0x4fe000 (empty, next = 0).
        assertEquals(0x4ff000, v.first());
        assertEquals(0x4fe000, mem.readU64(0x4ff000, LE), "hdr.next of the full chunk");
        assertEquals(0x10_0000L + 510L * PAGE, mem.readU64(0x4ff000 + 8 + 510 * 8, LE), "phys[510], the last slot");
        assertArrayEquals(new byte[PAGE], mem.read(0x4fe000, PAGE), "the trailing chunk is empty");
        assertEquals(blocks, v.blocks(mem, PAGE, LE, 511));
    }

    static Stream<Arguments> lengths() {
        long seed = 0x766d616cL;
        SplittableRandom r = new SplittableRandom(seed);
        List<Arguments> out = new ArrayList<>();
        for (int len : new int[] {1, PAGE - 1, PAGE, PAGE + 1, 3 * PAGE + 5, r.nextInt(1, 40 * PAGE)}) {
            out.add(Arguments.of("seed " + seed + ", " + len + " bytes", r.split(), len));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lengths")
    void dataRoundTripsThroughMemory(String name, SplittableRandom r, int length) throws Exception {
        PhysicalMemory mem = memory();
        PreservedAllocator alloc = PreservedAllocator.over(mem, PAGE, List.of(RAM), List.of());
        byte[] data = new byte[length];
        r.nextBytes(data);
        KhoVmalloc v = KhoVmalloc.write(alloc, data, LE);
        assertEquals((length + PAGE - 1) / PAGE, v.totalPages());
        KhoVmalloc back = KhoVmalloc.decode(v.encode(LE), LE);
        assertArrayEquals(data, back.read(mem, PAGE, LE, length));
    }

    private static PreservedStructureException refused(KhoVmalloc v, PhysicalMemory mem, long maxPages) {
        return assertThrows(PreservedStructureException.class, () -> v.blocks(mem, PAGE, LE, maxPages));
    }

    @Test
    void aChunkPointingAtItselfIsACycle() throws Exception {
        PhysicalMemory mem = memory();
        Raw.u64(mem, 0x20_0000, 0x20_0000);
        Raw.u64(mem, 0x20_0008, 0x30_0000);
        PreservedStructureException e = refused(new KhoVmalloc(0x20_0000, 1, 1, 0), mem, 10);
        assertEquals(Kind.CYCLE, e.kind());
        assertEquals(0x20_0000, e.address());
    }

    @Test
    void moreChunksThanTheEntriesNeedAreRefused() throws Exception {
        PhysicalMemory mem = memory();
        Raw.u64(mem, 0x20_0000, 0x20_1000);
        Raw.u64(mem, 0x20_0008, 0x30_0000);
        Raw.u64(mem, 0x20_1000, 0x20_2000);
        PreservedStructureException e = refused(new KhoVmalloc(0x20_0000, 1, 1, 0), mem, 10);
        assertEquals(Kind.TOO_LONG, e.kind());
        assertEquals(0x20_1000, e.address());
    }

    @Test
    void pointersOutsideRamOrMisalignedAreRefusedWithTheirAddress() throws Exception {
        PhysicalMemory mem = memory();
        PreservedStructureException outside = refused(new KhoVmalloc(0x90_0000, 1, 1, 0), mem, 10);
        assertEquals(Kind.POINTER_OUTSIDE_RAM, outside.kind());
        assertEquals(0x90_0000, outside.address());
        PreservedStructureException unaligned = refused(new KhoVmalloc(0x20_0008, 1, 1, 0), mem, 10);
        assertEquals(Kind.UNALIGNED_POINTER, unaligned.kind());

        Raw.u64(mem, 0x20_0008, 0x7000_0000L);
        PreservedStructureException block = refused(new KhoVmalloc(0x20_0000, 1, 1, 0), mem, 10);
        assertEquals(Kind.POINTER_OUTSIDE_RAM, block.kind());
        assertEquals(0x7000_0000L, block.address());
        Raw.u64(mem, 0x20_0008, 0x30_0800L);
        assertEquals(Kind.UNALIGNED_POINTER, refused(new KhoVmalloc(0x20_0000, 1, 1, 0), mem, 10).kind());
        Raw.u64(mem, 0x20_0008, 0x30_1000L);
        assertEquals(Kind.UNALIGNED_POINTER, refused(new KhoVmalloc(0x20_0000, 2, 1, 1), mem, 10).kind(),
                "an order-1 block must be 8 KiB aligned");
    }

    @Test
    void totalPagesMustMatchTheEntries() throws Exception {
        PhysicalMemory mem = memory();
        Raw.u64(mem, 0x20_0008, 0x30_0000);
        Raw.u64(mem, 0x20_0010, 0x30_1000);
        PreservedStructureException tooFew = refused(new KhoVmalloc(0x20_0000, 1, 1, 0), mem, 10);
        assertEquals(Kind.COUNT_MISMATCH, tooFew.kind());
        assertEquals(0x20_0010, tooFew.address(), "the entry that runs past total_pages");
        PreservedStructureException tooMany = refused(new KhoVmalloc(0x20_0000, 3, 1, 0), mem, 10);
        assertEquals(Kind.COUNT_MISMATCH, tooMany.kind());
        assertEquals(Kind.COUNT_MISMATCH, refused(new KhoVmalloc(0, 1, 1, 0), mem, 10).kind(),
                "no chunk but pages declared");
        assertEquals(List.of(), new KhoVmalloc(0, 0, 0, 0).blocks(mem, PAGE, LE, 0));
    }

    @Test
    void flagsOrderAndSizeLimitsAreChecked() {
        PhysicalMemory mem = memory();
        assertEquals(Kind.UNKNOWN_FLAGS, refused(new KhoVmalloc(0x20_0000, 1, 0x4, 0), mem, 10).kind());
        assertEquals(Kind.ORDER_OUT_OF_RANGE, refused(new KhoVmalloc(0x20_0000, 1, 1, 40), mem, 10).kind());
        PreservedStructureException big = refused(new KhoVmalloc(0x20_0000, 0xffff_ffffL, 1, 0), mem, 1 << 20);
        assertEquals(Kind.LIMIT_EXCEEDED, big.kind());
        assertThrows(PreservedStructureException.class,
                () -> new KhoVmalloc(0x20_0000, 9, 1, 0).read(mem, PAGE, LE, 100), "9 pages for 100 bytes");
        assertThrows(IllegalArgumentException.class, () -> KhoVmalloc.decode(new byte[15], LE));
        assertThrows(IllegalArgumentException.class, () -> new KhoVmalloc(0, -1, 0, 0));
    }
}
