package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.preserve.MemoryMapFormatException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Memory written by hand to break one rule each; the decoder must name the rule and the address. */
class HostileMemoryMapTest {
    private static final PageSize P4K = PageSize.KIB_4;
    private static final long RAM = 1L << 30;
    private static final long A = 0x10000000L;
    private static final long B = 0x10001000L;
    private static final long BITMAP = 0x10002000L;

    private final SparseMemory m = SparseMemory.of(0, RAM);

    private MemoryMapFormatException chunks(MemoryMapFormat format, long root) {
        return assertThrows(MemoryMapFormatException.class, () -> MemoryMapCodec.of(format, P4K).decode(m, root));
    }

    private MemoryMapFormatException chunks(long root) {
        return chunks(MemoryMapFormat.CHUNKS_BITMAP_PAGE, root);
    }

    private MemoryMapFormatException radix(long root) {
        return assertThrows(MemoryMapFormatException.class,
                () -> MemoryMapCodec.of(MemoryMapFormat.RADIX, P4K).decode(m, root));
    }

    private static void assertKindAt(Kind kind, long address, MemoryMapFormatException e) {
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(address, e.address(), e.getMessage());
    }

    @Test
    void aCycleInNextPointersIsFoundAtTheRevisitedChunk() throws Exception {
        Raw.chunkHeader(m, A, B, 0, 0);
        Raw.chunkHeader(m, B, A, 0, 0);
        MemoryMapFormatException e = chunks(A);
        assertKindAt(Kind.CYCLE, A, e);
        assertTrue(e.getMessage().contains("0x10001000"), "names the chunk whose next closes the loop");
    }

    @Test
    void aSelfLoopIsACycle() throws Exception {
        Raw.chunkHeader(m, A, A, 0, 0);
        assertKindAt(Kind.CYCLE, A, chunks(A));
    }

    @Test
    void aNextPointerOutsideRamIsRefusedBeforeItIsFollowed() throws Exception {
        Raw.chunkHeader(m, A, 1L << 45, 0, 0);
        assertKindAt(Kind.POINTER_OUTSIDE_RAM, 1L << 45, chunks(A));
        assertKindAt(Kind.POINTER_OUTSIDE_RAM, RAM, chunks(RAM));
        assertKindAt(Kind.POINTER_OUTSIDE_RAM, -4096L, chunks(-4096L));
    }

    @Test
    void numElmsAboveTheChunkCapacityIsRefused() throws Exception {
        Raw.chunkHeader(m, A, 0, 0, 256);
        assertKindAt(Kind.COUNT_TOO_LARGE, A + 12, chunks(A));
        Raw.chunkHeader(m, A, 0, 0, 0xffffffffL);
        assertKindAt(Kind.COUNT_TOO_LARGE, A + 12, chunks(MemoryMapFormat.CHUNKS_BITMAP512, A));
    }

    @Test
    void anOrderAboveTheMaximumIsRefused() throws Exception {
        Raw.chunkHeader(m, A, 0, 64, 1);
        assertKindAt(Kind.ORDER_OUT_OF_RANGE, A + 8, chunks(A));
        Raw.chunkHeader(m, A, 0, P4K.maxOrder() + 1, 0);
        assertKindAt(Kind.ORDER_OUT_OF_RANGE, A + 8, chunks(A));
    }

    @Test
    void unalignedPointersAreRefused() throws Exception {
        assertKindAt(Kind.UNALIGNED_POINTER, A + 0x800, chunks(A + 0x800));
        Raw.chunkHeader(m, A, 0, 0, 1);
        Raw.chunkEntry(m, A, 0, 0, BITMAP + 8);
        assertKindAt(Kind.UNALIGNED_POINTER, BITMAP + 8, chunks(A));
        Raw.chunkEntry(m, A, 0, 0, BITMAP + 0x200);
        assertKindAt(Kind.UNALIGNED_POINTER, BITMAP + 0x200, chunks(A));
        assertEquals(PreservedMemoryMap.empty(P4K),
                MemoryMapCodec.of(MemoryMapFormat.CHUNKS_BITMAP512, P4K).decode(m, A), "512-byte aligned is fine");
        Raw.chunkEntry(m, A, 0, 0, BITMAP + 0x100);
        assertKindAt(Kind.UNALIGNED_POINTER, BITMAP + 0x100, chunks(MemoryMapFormat.CHUNKS_BITMAP512, A));
    }

    @Test
    void aBitmapPointerOutsideRamIsRefused() throws Exception {
        Raw.chunkHeader(m, A, 0, 0, 1);
        Raw.chunkEntry(m, A, 0, 0, RAM);
        assertKindAt(Kind.POINTER_OUTSIDE_RAM, RAM, chunks(MemoryMapFormat.CHUNKS_BITMAP512, A));
        Raw.chunkEntry(m, A, 0, 0, RAM - 512);
        assertEquals(PreservedMemoryMap.empty(P4K),
                MemoryMapCodec.of(MemoryMapFormat.CHUNKS_BITMAP512, P4K).decode(m, A), "the last 512 bytes are RAM");
    }

    @Test
    void aPhysStartOffTheBitmapSpanIsRefused() throws Exception {
        Raw.chunkHeader(m, A, 0, 0, 1);
        Raw.chunkEntry(m, A, 0, 0x1000, BITMAP);
        assertKindAt(Kind.BAD_PHYS_START, A + 16, chunks(A));
        Raw.chunkEntry(m, A, 0, 4096L << 12, BITMAP);
        assertKindAt(Kind.BAD_PHYS_START, A + 16, chunks(A));
        assertEquals(PreservedMemoryMap.empty(P4K),
                MemoryMapCodec.of(MemoryMapFormat.CHUNKS_BITMAP512, P4K).decode(m, A), "a 512-byte bitmap span");
        Raw.chunkEntry(m, A, 0, 1L << 52, BITMAP);
        assertKindAt(Kind.BAD_PHYS_START, A + 16, chunks(A));
    }

    @Test
    void aBlockOutsideRamIsRefused() throws Exception {
        Raw.chunkHeader(m, A, 0, 0, 1);
        Raw.chunkEntry(m, A, 0, 1L << 31, BITMAP);
        Raw.setBit(m, BITMAP, 7);
        assertKindAt(Kind.BLOCK_OUTSIDE_RAM, (1L << 31) + 7 * 4096, chunks(A));
    }

    /**
     * 512-byte bitmaps one after the other in a slab page are read as one run: a block outside RAM in the second
     * is still named with its own address and its own bitmap word.
     */
    @Test
    void aBlockOutsideRamInTheSecondBitmapOfARunNamesThatBitmap() throws Exception {
        long span = 4096L * 4096;   // a 512-byte bitmap covers 4096 pages
        Raw.chunkHeader(m, A, 0, 0, 2);
        Raw.chunkEntry(m, A, 0, RAM - span, BITMAP);
        Raw.chunkEntry(m, A, 1, RAM, BITMAP + 512);
        Raw.setBit(m, BITMAP, 5);
        Raw.setBit(m, BITMAP + 512, 64 + 3);
        MemoryMapFormatException e = chunks(MemoryMapFormat.CHUNKS_BITMAP512, A);
        assertKindAt(Kind.BLOCK_OUTSIDE_RAM, RAM + 67 * 4096, e);
        assertTrue(e.getMessage().contains(String.format("0x%x", BITMAP + 512 + 8)), e.getMessage());
    }

    /** A bad entry after a bitmap with a block outside RAM: the bitmap read first is reported first, as before. */
    @Test
    void aBitmapBeforeABadPointerIsReadFirst() throws Exception {
        Raw.chunkHeader(m, A, 0, 0, 2);
        Raw.chunkEntry(m, A, 0, RAM, BITMAP);
        Raw.chunkEntry(m, A, 1, RAM + 4096L * 4096, BITMAP + 520);
        Raw.setBit(m, BITMAP, 3);
        assertKindAt(Kind.BLOCK_OUTSIDE_RAM, RAM + 3 * 4096, chunks(MemoryMapFormat.CHUNKS_BITMAP512, A));
        Raw.u8(m, BITMAP, 0);   // no block left in the first bitmap: now the pointer is the first fault
        assertKindAt(Kind.UNALIGNED_POINTER, BITMAP + 520, chunks(MemoryMapFormat.CHUNKS_BITMAP512, A));
    }

    @Test
    void aBlockPartlyOutsideRamIsRefused() throws Exception {
        Raw.chunkHeader(m, A, 0, 18, 1);     // order 18: 1 GiB blocks, RAM is exactly one of them
        Raw.chunkEntry(m, A, 0, 0, BITMAP);
        Raw.setBit(m, BITMAP, 0);
        Raw.setBit(m, BITMAP, 1);
        assertKindAt(Kind.BLOCK_OUTSIDE_RAM, 1L << 30, chunks(A));
    }

    @Test
    void theSameBitmapTwiceIsAnOverlap() throws Exception {
        Raw.chunkHeader(m, A, B, 0, 1);
        Raw.chunkEntry(m, A, 0, 0, BITMAP);
        Raw.chunkHeader(m, B, 0, 0, 1);
        Raw.chunkEntry(m, B, 0, 0, BITMAP);
        Raw.setBit(m, BITMAP, 9);
        assertKindAt(Kind.OVERLAP, 9 * 4096, chunks(A));
    }

    @Test
    void aBlockInsideABlockOfAnotherOrderIsAnOverlap() throws Exception {
        Raw.chunkHeader(m, A, B, 9, 1);
        Raw.chunkEntry(m, A, 0, 0, BITMAP);
        Raw.setBit(m, BITMAP, 1);                       // 0x200000, order 9
        Raw.chunkHeader(m, B, 0, 0, 1);
        Raw.chunkEntry(m, B, 0, 0, BITMAP + 0x1000);
        Raw.setBit(m, BITMAP + 0x1000, 0x3ff);          // 0x3ff000, order 0
        MemoryMapFormatException e = chunks(A);
        assertKindAt(Kind.OVERLAP, 0x3ff000, e);
        assertTrue(e.getMessage().contains("order-9 block at 0x200000"), e.getMessage());
    }

    // ---- radix tree ----

    /** A valid 4 KiB tree for order 0 at 0x5000: root[2] -> L4[0] -> L3[0] -> L2[0] -> L1[0] -> leaf bit 5. */
    private long[] validTree() throws Exception {
        long[] pages = {A, A + 0x1000, A + 0x2000, A + 0x3000, A + 0x4000, A + 0x5000};
        Raw.u64(m, pages[0] + 16, pages[1]);
        for (int i = 1; i < 5; i++) {
            Raw.u64(m, pages[i], pages[i + 1]);
        }
        Raw.setBit(m, pages[5], 5);
        assertEquals(List.of(new PreservedBlock(0x5000, 0)),
                MemoryMapCodec.of(MemoryMapFormat.RADIX, P4K).decode(m, A).blocks());
        return pages;
    }

    static Stream<Arguments> loopSeeds() {
        return Stream.of(1L, 2L, 3L, 4L).map(i -> Arguments.of(new SplittableRandom(0x100b + i).nextLong()));
    }

    /**
     * A chunk list of a few hundred chunks (more than the visited set holds before it grows) whose last
     * {@code next} leads back to a chunk chosen by the seed: a cycle at that chunk, naming the last one.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("loopSeeds")
    void aLongChunkListLoopingBackIsACycleAtTheRevisitedChunk(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int chunks = 100 + random.nextInt(300);
        int back = random.nextInt(chunks);
        for (int i = 0; i < chunks; i++) {
            Raw.chunkHeader(m, A + i * 0x1000L, A + (i + 1 == chunks ? back : i + 1) * 0x1000L, 0, 0);
        }
        MemoryMapFormatException e = chunks(A);
        assertKindAt(Kind.CYCLE, A + back * 0x1000L, e);
        assertTrue(e.getMessage().contains(String.format("0x%x", A + (chunks - 1) * 0x1000L)), e.getMessage());
    }

    /**
     * A level-1 table of a few hundred distinct leaves (past the visited set's first growth) whose last entry
     * names an earlier leaf again, or a level-2 table: a reuse or a wrong level at that page, naming the entry.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("loopSeeds")
    void aWideTableReferencingAnEarlierPageAgainIsRefused(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        long[] pages = validTree();
        long leaves = A + 0x100000;
        int count = 100 + random.nextInt(400);
        for (int i = 1; i < count; i++) {
            Raw.u64(m, pages[4] + 8L * i, leaves + i * 0x1000L);
        }
        boolean table = random.nextBoolean();
        long again = table ? pages[3] : leaves + (1 + random.nextInt(count - 1)) * 0x1000L;
        long entry = pages[4] + 8L * count;
        Raw.u64(m, entry, again);
        MemoryMapFormatException e = radix(A);
        assertKindAt(table ? Kind.WRONG_LEVEL : Kind.NODE_REUSED, again, e);
        assertTrue(e.getMessage().contains(String.format("0x%x", entry)), e.getMessage());
    }

    @Test
    void aRadixRootOfZeroIsRefused() {
        assertKindAt(Kind.NULL_ROOT, 0, radix(0));
    }

    @Test
    void aLeafPointerAtTableLevelIsAWrongLevel() throws Exception {
        long[] pages = validTree();
        Raw.u64(m, pages[3] + 8, pages[5]);   // level-2 table, index 1: a level-1 table expected, the leaf given
        MemoryMapFormatException e = radix(A);
        assertKindAt(Kind.WRONG_LEVEL, pages[5], e);
        assertTrue(e.getMessage().contains(String.format("0x%x", pages[3] + 8)), e.getMessage());
    }

    @Test
    void aTableReferencingItsOwnRootIsAWrongLevel() throws Exception {
        long[] pages = validTree();
        Raw.u64(m, pages[2] + 8 * 7, A);
        assertKindAt(Kind.WRONG_LEVEL, A, radix(A));
    }

    @Test
    void aSharedSubtreeIsANodeReuse() throws Exception {
        long[] pages = validTree();
        Raw.u64(m, pages[4] + 8, pages[5]);   // two level-1 entries, one leaf: a DAG the walk would read twice
        assertKindAt(Kind.NODE_REUSED, pages[5], radix(A));
    }

    @Test
    void aRootEntryAboveTheOrderZeroMarkerIsAnInvalidKey() throws Exception {
        validTree();
        Raw.u64(m, A + 8 * 4, B + 0x10000);  // index 4 sets key bit 53: no order can have it
        assertKindAt(Kind.INVALID_KEY, A + 32, radix(A));
    }

    @Test
    void aLeafBitWithoutAnOrderBitIsOutOfRange() throws Exception {
        long[] pages = validTree();
        Raw.u64(m, pages[0], A + 0x10000);    // root[0] -> L4 -> L3 -> L2 -> L1 -> leaf, all index 0: key = bit
        for (long p = A + 0x10000; p < A + 0x14000; p += 0x1000) {
            Raw.u64(m, p, p + 0x1000);
        }
        Raw.setBit(m, A + 0x14000, 70);
        assertKindAt(Kind.ORDER_OUT_OF_RANGE, A + 0x14000 + 8, radix(A));
    }

    @Test
    void unalignedOrOutsideRadixEntriesAreRefused() throws Exception {
        long[] pages = validTree();
        Raw.u64(m, pages[2] + 8, pages[3] + 0x10);
        assertKindAt(Kind.UNALIGNED_POINTER, pages[3] + 0x10, radix(A));
        Raw.u64(m, pages[2] + 8, RAM);
        assertKindAt(Kind.POINTER_OUTSIDE_RAM, RAM, radix(A));
        assertKindAt(Kind.UNALIGNED_POINTER, A + 8, radix(A + 8));
    }

    // ---- random garbage ----

    static Stream<Arguments> garbage() {
        List<Arguments> out = new ArrayList<>();
        for (MemoryMapFormat f : MemoryMapFormat.values()) {
            for (int i = 0; i < 12; i++) {
                long seed = 0xbad0000L + f.ordinal() * 100 + i;
                out.add(Arguments.of(f + " seed=" + seed, f, seed));
            }
        }
        return out.stream();
    }

    /**
     * Pages of random words in which many words are page pointers into the same pages, small counts and
     * orders: the decoder must finish with a map or a typed error, nothing else.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void randomPointerSoupNeverEscapesTheTypedError(String name, MemoryMapFormat format, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        SparseMemory soup = SparseMemory.of(0, 64L << 20);
        int pages = 64;
        for (int p = 0; p < pages; p++) {
            for (int w = 0; w < 512; w++) {
                long v = switch (r.nextInt(6)) {
                    case 0 -> (long) r.nextInt(pages) * 4096;
                    case 1 -> r.nextLong();
                    case 2 -> r.nextInt(300);
                    case 3 -> 1L << r.nextInt(64);
                    default -> 0;
                };
                Raw.u64(soup, p * 4096L + w * 8L, v);
            }
        }
        try {
            PreservedMemoryMap map = MemoryMapCodec.of(format, P4K).decode(soup, (long) r.nextInt(pages) * 4096);
            assertTrue(map.blockCount() >= 0);
        } catch (MemoryMapFormatException e) {
            assertTrue(e.getMessage().startsWith(e.kind().name()), e.getMessage());
        }
    }
}
