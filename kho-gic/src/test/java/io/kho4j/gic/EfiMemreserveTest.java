package io.kho4j.gic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import io.kho4j.testsupport.GoldenBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The LINUX_EFI_MEMRESERVE list against bytes written out by hand from {@code struct linux_efi_memreserve}
 * (kho-abi.md §6: int size at 0, atomic_t count at 4, phys_addr_t next at 8, entries of {base, size} from 16,
 * little-endian on x86-64 and arm64), and its walk against hostile lists.
 */
class EfiMemreserveTest {
    private static final long RAM = 0x4000_0000L;
    private static final long ROOT = RAM + 0x100;
    private static final long BLOCK_A = RAM + 0x1000;
    private static final long BLOCK_B = RAM + 0x2000;

    private static PhysicalMemory memory() {
        return PhysicalMemory.ofHeap(RAM, 1 << 20);
    }

    @Test
    void entriesPerBlockIsEfiMemreserveCountOf4K() {
        // (4096 - sizeof(struct linux_efi_memreserve) = 16) / sizeof(entry) = 16
        assertEquals(255, EfiMemreserve.ENTRIES_PER_BLOCK);
        assertEquals(0, EfiMemreserve.count(16));
        assertEquals(1, EfiMemreserve.count(32));
    }

    @Test
    void threeReservationsMatchHandWrittenBytes() throws Exception {
        List<PhysRange> rsv = List.of(new PhysRange(0x8001_0000L, 0x1_0000), new PhysRange(0x8002_0000L, 0x1_0000),
                new PhysRange(0x8003_0000L, 0x1_0000));
        PhysicalMemory memory = memory();
        EfiMemreserve.write(memory, EfiMemreserve.build(ROOT, List.of(BLOCK_A), rsv));
        // the root as install_memreserve_table leaves it, then linked to the one block
        byte[] root = new GoldenBytes().le32(0).le32(0).le64(BLOCK_A).bytes();
        // size = 255, count = 3, next = 0, three entries, 252 unused zero entries: 16 + 255 * 16 = 4096 bytes
        byte[] block = new GoldenBytes().le32(255).le32(3).le64(0)
                .le64(0x8001_0000L).le64(0x1_0000).le64(0x8002_0000L).le64(0x1_0000).le64(0x8003_0000L).le64(0x1_0000)
                .zeros(252 * 16).bytes();
        assertEquals(4096, block.length);
        assertArrayEquals(root, memory.read(ROOT, 16));
        assertArrayEquals(block, memory.read(BLOCK_A, 4096));
    }

    @Test
    void theBlockMadeWhenTheFirstIsFullIsLinkedRightAfterTheRoot() throws Exception {
        List<PhysRange> rsv = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            rsv.add(new PhysRange(0x1_0000_0000L + i * 0x1_0000L, 0x1_0000));
        }
        assertEquals(2, EfiMemreserve.blocksNeeded(256));
        PhysicalMemory memory = memory();
        List<EfiMemreserveBlock> built = EfiMemreserve.build(ROOT, List.of(BLOCK_A, BLOCK_B), rsv);
        EfiMemreserve.write(memory, built);
        // efi_mem_reserve_persistent: rsv->next = root->next; root->next = __pa(rsv)
        assertArrayEquals(new GoldenBytes().le32(0).le32(0).le64(BLOCK_B).bytes(), memory.read(ROOT, 16));
        assertArrayEquals(new GoldenBytes().le32(255).le32(1).le64(BLOCK_A).le64(0x1_00ff_0000L).le64(0x1_0000)
                .bytes(), memory.read(BLOCK_B, 32));
        assertArrayEquals(new GoldenBytes().le32(255).le32(255).le64(0).le64(0x1_0000_0000L).le64(0x1_0000).bytes(),
                memory.read(BLOCK_A, 32));
        List<EfiMemreserveBlock> read = EfiMemreserve.read(memory, ROOT, 4096);
        assertEquals(built, read);
        assertEquals(List.of(ROOT, BLOCK_B, BLOCK_A), read.stream().map(EfiMemreserveBlock::address).toList());
        assertEquals(new PhysRange(BLOCK_A, 4096), read.get(2).footprint());
    }

    @Test
    void gicReservationsAreThePropertyTableThenEachPendingTable() {
        GicState s = GicSamples.example();
        assertEquals(List.of(s.propertyTable().range(), s.pendingTables().get(0).range(),
                s.pendingTables().get(1).range()), EfiMemreserve.reservations(s));
    }

    @Test
    void anEmptyListIsTheRootAlone() throws Exception {
        PhysicalMemory memory = memory();
        EfiMemreserve.write(memory, EfiMemreserve.build(ROOT, List.of(), List.of()));
        assertEquals(List.of(new EfiMemreserveBlock(ROOT, 0, 0, List.of())), EfiMemreserve.read(memory, ROOT, 4096));
    }

    /** Hand-assembles one struct: header then entries, no encoder involved. */
    private static void put(PhysicalMemory m, long at, int size, int count, long next, long... entries)
            throws Exception {
        GoldenBytes g = new GoldenBytes().le32(size).le32(count).le64(next);
        for (long e : entries) {
            g.le64(e);
        }
        m.write(at, g.bytes());
    }

    private static EfiMemreserveException refused(PhysicalMemory m, long root) {
        return assertThrows(EfiMemreserveException.class, () -> EfiMemreserve.read(m, root, 4096));
    }

    @Test
    void aCycleIsRefusedAtTheRepeatedBlock() throws Exception {
        PhysicalMemory m = memory();
        put(m, ROOT, 0, 0, BLOCK_A);
        put(m, BLOCK_A, 1, 0, ROOT);
        EfiMemreserveException e = refused(m, ROOT);
        assertEquals(ROOT, e.address());
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void countAboveSizeIsRefusedAtTheCountField() throws Exception {
        PhysicalMemory m = memory();
        put(m, ROOT, 0, 0, BLOCK_A);
        put(m, BLOCK_A, 1, 2, 0, 0x8000_0000L, 0x1000);
        assertEquals(BLOCK_A + 4, refused(m, ROOT).address());
    }

    @Test
    void aNegativeOrPageCrossingSizeIsRefusedAtTheSizeField() throws Exception {
        PhysicalMemory m = memory();
        put(m, ROOT, -1, 0, 0);
        assertEquals(ROOT, refused(m, ROOT).address());
        // 0x100 into the page: 16 + 255 * 16 bytes would run 0x100 bytes past it
        put(m, ROOT, 255, 0, 0);
        assertTrue(refused(m, ROOT).getMessage().contains("cross"));
        put(m, ROOT, Integer.MAX_VALUE, 0, 0);
        assertEquals(ROOT, refused(m, ROOT).address());
    }

    @Test
    void nextOutsideRamOrMisalignedIsRefusedAtThatAddress() throws Exception {
        PhysicalMemory m = memory();
        put(m, ROOT, 0, 0, 0x10_0000_0000L);
        assertEquals(0x10_0000_0000L, refused(m, ROOT).address());
        put(m, ROOT, 0, 0, BLOCK_A + 4);
        assertEquals(BLOCK_A + 4, refused(m, ROOT).address());
        put(m, ROOT, 0, 0, -8);
        assertEquals(-8, refused(m, ROOT).address());
    }

    @Test
    void anEmptyOrWrappingEntryIsRefusedAtTheEntry() throws Exception {
        PhysicalMemory m = memory();
        put(m, ROOT, 0, 0, BLOCK_A);
        put(m, BLOCK_A, 2, 2, 0, 0x8000_0000L, 0x1000, 0x7fff_ffff_ffff_f000L, 0x2000);
        assertEquals(BLOCK_A + 32, refused(m, ROOT).address());
        put(m, BLOCK_A, 2, 1, 0, 0x8000_0000L, 0);
        assertEquals(BLOCK_A + 16, refused(m, ROOT).address());
    }

    @Test
    void aListLongerThanTheLimitIsRefused() throws Exception {
        PhysicalMemory m = memory();
        put(m, ROOT, 0, 0, BLOCK_A);
        put(m, BLOCK_A, 0, 0, BLOCK_B);
        put(m, BLOCK_B, 0, 0, 0);
        assertEquals(3, EfiMemreserve.read(m, ROOT, 4096, 3).size());
        EfiMemreserveException e = assertThrows(EfiMemreserveException.class,
                () -> EfiMemreserve.read(m, ROOT, 4096, 2));
        assertEquals(BLOCK_B, e.address());
    }

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 40).mapToObj(i -> Arguments.of(0x6d656d72L + i));
    }

    /** Random corruption of a valid two-block list: a list or a typed refusal, never anything else. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedListsGiveAListOrATypedRefusal(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<PhysRange> rsv = new ArrayList<>();
        for (int i = 0; i < 260; i++) {
            rsv.add(new PhysRange(0x2_0000_0000L + i * 0x1_0000L, 0x1_0000));
        }
        for (int round = 0; round < 25; round++) {
            PhysicalMemory m = memory();
            EfiMemreserve.write(m, EfiMemreserve.build(ROOT, List.of(BLOCK_A, BLOCK_B), rsv));
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                long[] structs = {ROOT, BLOCK_A, BLOCK_B};
                long at = structs[random.nextInt(3)] + random.nextInt(48);
                switch (random.nextInt(3)) {
                    case 0 -> m.write(at, new byte[] {(byte) random.nextInt(256)});
                    case 1 -> m.writeU32(at & ~3L, random.nextInt(), java.nio.ByteOrder.LITTLE_ENDIAN);
                    default -> m.writeU64(at & ~7L, random.nextBoolean() ? random.nextLong()
                            : structs[random.nextInt(3)], java.nio.ByteOrder.LITTLE_ENDIAN);
                }
            }
            try {
                List<EfiMemreserveBlock> list = EfiMemreserve.read(m, ROOT, 4096);
                assertTrue(list.size() >= 1 && list.size() <= 3, "seed " + seed + ": " + list.size() + " blocks");
            } catch (EfiMemreserveException expected) {
                assertTrue(expected.getMessage().startsWith("memreserve at 0x"), expected.getMessage());
            } catch (RuntimeException e) {
                fail("seed " + seed + " round " + round + ": " + e, e);
            }
        }
    }
}
