package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PreservedStructureException.Kind;
import io.kho4j.spi.KhoBlockSet;
import io.kho4j.spi.PreservedAllocator;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Linked-block sets (kho-abi.md §9.2): pinned bytes by hand, round trips, and the kernel's reader rules. */
class KhoBlockSetTest {
    private static final PhysRange RAM = new PhysRange(0x10_0000, 0x4000_0000L);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int PAGE = 4096;

    @Test
    void entriesPerBlockFollowsTheHeaderComment() {
        assertEquals(127, KhoBlockSet.entriesPerBlock(PAGE, 32), "block.h: 'each block holds up to 127 entries'");
        assertEquals(51, KhoBlockSet.entriesPerBlock(PAGE, 80), "struct luo_session_ser");
        assertEquals(63, KhoBlockSet.entriesPerBlock(PAGE, 64), "struct luo_file_ser");
        assertThrows(IllegalArgumentException.class, () -> KhoBlockSet.entriesPerBlock(PAGE, 4081));
    }

    @Test
    void twoEntriesInOneBlockAreThePinnedBytes() throws Exception {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        PreservedAllocator alloc = PreservedAllocator.over(mem, PAGE, List.of(RAM), List.of());
        byte[] a = new byte[24];
        byte[] b = new byte[24];
        a[0] = 0x0a;
        b[23] = 0x0b;
        long head = KhoBlockSet.write(alloc, List.of(a, b), 24, LE);
        assertEquals(0x400f_f000L, head, "top-down: the highest page of RAM");
        // kho_block_header_ser: next = 0 (u64), count = 2 (u64); entries at 16 and 40.
        String expected = "0000000000000000" + "0200000000000000" + "0a" + "00".repeat(23) + "00".repeat(23) + "0b";
        assertEquals(expected, HexFormat.of().formatHex(mem.read(head, 64)));
        assertArrayEquals(new byte[PAGE - 64], mem.read(head + 64, PAGE - 64));
        List<byte[]> back = KhoBlockSet.read(mem, head, PAGE, 24, LE);
        assertArrayEquals(a, back.get(0));
        assertArrayEquals(b, back.get(1));
    }

    @Test
    void anEmptySetIsAHeadOfZeroAndAllocatesNothing() throws Exception {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        PreservedAllocator alloc = PreservedAllocator.over(mem, PAGE, List.of(RAM), List.of());
        assertEquals(0, KhoBlockSet.write(alloc, List.of(), 64, LE));
        assertEquals(List.of(), alloc.allocations());
        assertEquals(List.of(), KhoBlockSet.read(mem, 0, PAGE, 64, LE));
    }

    @Test
    void fullBlocksComeFirstAndLinkToTheNext() throws Exception {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        PreservedAllocator alloc = PreservedAllocator.over(mem, PAGE, List.of(RAM), List.of());
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            entries.add(new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0});
        }
        long head = KhoBlockSet.write(alloc, entries, 64, LE);
        long second = mem.readU64(head, LE);
        assertEquals(63, mem.readU64(head + 8, LE), "the first block is full");
        assertEquals(0, mem.readU64(second, LE), "the second block ends the chain");
        assertEquals(1, mem.readU64(second + 8, LE));
        assertEquals(63, mem.read(second + 16, 1)[0]);
        assertEquals(64, KhoBlockSet.read(mem, head, PAGE, 64, LE).size());
    }

    static LongStream seeds() {
        return LongStream.of(1, 0x626c6f63L, 42);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomSetsRoundTrip(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        PreservedAllocator alloc = PreservedAllocator.over(mem, PAGE, List.of(RAM), List.of());
        int size = 8 * r.nextInt(1, 60);
        List<byte[]> entries = new ArrayList<>();
        for (int i = r.nextInt(0, 2000); i > 0; i--) {
            byte[] e = new byte[size];
            r.nextBytes(e);
            entries.add(e);
        }
        List<byte[]> back = KhoBlockSet.read(mem, KhoBlockSet.write(alloc, entries, size, LE), PAGE, size, LE);
        assertEquals(entries.size(), back.size());
        for (int i = 0; i < entries.size(); i++) {
            assertArrayEquals(entries.get(i), back.get(i), "entry " + i);
        }
    }

    private static PreservedStructureException refused(PhysicalMemory mem, long head) {
        return assertThrows(PreservedStructureException.class, () -> KhoBlockSet.read(mem, head, PAGE, 64, LE));
    }

    @Test
    void emptyAndOverfullBlocksAreInvalid() throws Exception {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        PreservedStructureException empty = refused(mem, 0x20_0000);
        assertEquals(Kind.BAD_COUNT, empty.kind());
        assertEquals(0x20_0000, empty.address());
        Raw.u64(mem, 0x20_0008, 64);
        assertEquals(Kind.BAD_COUNT, refused(mem, 0x20_0000).kind(), "63 files fit a block, not 64");
        Raw.u64(mem, 0x20_0008, -1);
        assertEquals(Kind.BAD_COUNT, refused(mem, 0x20_0000).kind());
    }

    @Test
    void cyclesAreRefusedAtTheBlockSeenTwice() throws Exception {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        Raw.u64(mem, 0x20_0000, 0x20_1000);
        Raw.u64(mem, 0x20_0008, 1);
        Raw.u64(mem, 0x20_1000, 0x20_0000);
        Raw.u64(mem, 0x20_1008, 1);
        PreservedStructureException e = refused(mem, 0x20_0000);
        assertEquals(Kind.CYCLE, e.kind());
        assertEquals(0x20_0000, e.address());
    }

    @Test
    void chainsLongerThanKhoMaxBlocksAreRefused() throws Exception {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        long base = 0x100_0000L;
        for (int i = 0; i <= KhoBlockSet.MAX_BLOCKS; i++) {
            long block = base + (long) i * PAGE;
            Raw.u64(mem, block, block + PAGE);
            Raw.u64(mem, block + 8, 1);
        }
        PreservedStructureException e = refused(mem, base);
        assertEquals(Kind.TOO_LONG, e.kind());
        assertEquals(base + (long) KhoBlockSet.MAX_BLOCKS * PAGE, e.address(), "the 10001st block");
    }

    @Test
    void headsOutsideRamOrOffPageAreRefused() {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        assertEquals(Kind.POINTER_OUTSIDE_RAM, refused(mem, 0x8000_0000L).kind());
        assertEquals(Kind.UNALIGNED_POINTER, refused(mem, 0x20_0010).kind());
        assertEquals(Kind.POINTER_OUTSIDE_RAM, refused(mem, 0x1000).kind());
    }

    @Test
    void writerRefusesEntriesOfTheWrongSize() {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        PreservedAllocator alloc = PreservedAllocator.over(mem, PAGE, List.of(RAM), List.of());
        assertThrows(IllegalArgumentException.class, () -> KhoBlockSet.write(alloc, List.of(new byte[10]), 16, LE));
    }
}
