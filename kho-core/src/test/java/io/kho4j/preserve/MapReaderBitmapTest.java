package io.kho4j.preserve;

import static io.kho4j.preserve.OrderWindows.WINDOW_BITS_LOG2;
import static io.kho4j.preserve.OrderWindows.WINDOW_WORDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.MemoryMapFormatException.Kind;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MapReader#readBitmap}, the path every decoder's bitmaps take, against a map built block by block:
 * several orders, bitmaps of one window to a page arriving in or out of key order (straight into the map or
 * ORed in), empty windows between set ones, and bitmaps with no bit set at all.
 */
class MapReaderBitmapTest {
    private static final long RAM = 1L << 51;
    /** Each order's windows lie in a region of their own, so orders never overlap. */
    private static final long REGION = 1L << 48;
    /** Bitmaps are written here, in RAM but above every region. */
    private static final long BITMAPS = 1L << 50;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 0x6d617072L;
        for (PageSize pageSize : PageSize.values()) {
            for (int i = 0; i < 6; i++) {
                seed++;
                out.add(Arguments.of(pageSize + " seed=" + seed, pageSize, seed));
            }
        }
        return out.stream();
    }

    /** One bitmap to read: its order, first window key and words. */
    private record Bitmap(int order, long firstKey, long[] words) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bitmapsInAnyOrderGiveTheBlocksTheySet(String name, PageSize pageSize, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        List<Bitmap> bitmaps = randomBitmaps(r, pageSize);
        if (r.nextBoolean()) {
            Collections.shuffle(bitmaps, new Random(r.nextLong()));
        }
        PreservedMemoryMap.Builder oracle = PreservedMemoryMap.builder(pageSize);
        for (Bitmap b : bitmaps) {
            forEachBit(b, index -> oracle.addBlock(index << (pageSize.shift() + b.order()), b.order()));
        }
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(new PhysRange(0, RAM)));
        MapReader reader = new MapReader(memory, pageSize, ByteOrder.LITTLE_ENDIAN);
        if (r.nextBoolean()) {
            for (int order = 0; order <= pageSize.maxOrder(); order++) {
                reader.presize(order, r.nextInt(64));
            }
        }

        long phys = BITMAPS;
        for (Bitmap b : bitmaps) {
            memory.writeLongs(phys, b.words(), 0, b.words().length, ByteOrder.LITTLE_ENDIAN);
            reader.readBitmap(b.order(), b.firstKey(), b.words().length / WINDOW_WORDS, phys);
            phys += (long) b.words().length * 8;
        }

        assertEquals(oracle.build(), reader.finish());
    }

    /** A bitmap read twice describes its blocks twice: the second read (ORed in) is refused at its first block. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBitmapReadTwiceIsAnOverlap(String name, PageSize pageSize, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        List<Bitmap> bitmaps = randomBitmaps(r, pageSize);
        bitmaps.removeIf(b -> firstIndex(b) < 0);
        Bitmap twice = bitmaps.get(r.nextInt(bitmaps.size()));
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(new PhysRange(0, RAM)));
        MapReader reader = new MapReader(memory, pageSize, ByteOrder.LITTLE_ENDIAN);
        memory.writeLongs(BITMAPS, twice.words(), 0, twice.words().length, ByteOrder.LITTLE_ENDIAN);
        int windows = twice.words().length / WINDOW_WORDS;

        reader.readBitmap(twice.order(), twice.firstKey(), windows, BITMAPS);
        MemoryMapFormatException e = assertThrows(MemoryMapFormatException.class,
                () -> reader.readBitmap(twice.order(), twice.firstKey(), windows, BITMAPS));

        assertEquals(Kind.OVERLAP, e.kind(), e.getMessage());
        assertEquals(firstIndex(twice) << (pageSize.shift() + twice.order()), e.address(), e.getMessage());
    }

    /**
     * Bitmaps of orders 0, 1, 3 and 9 over disjoint key ranges per order, from one window to a page of
     * windows; a quarter of the windows are empty, and some bitmaps entirely.
     */
    private static List<Bitmap> randomBitmaps(SplittableRandom r, PageSize pageSize) {
        int[] orders = {0, 1, 3, 9};
        int pageWindows = pageSize.bytes() / (WINDOW_WORDS * 8);
        List<Bitmap> out = new ArrayList<>();
        for (int k = 0; k < orders.length; k++) {
            int order = orders[k];
            int windowShift = pageSize.shift() + order + WINDOW_BITS_LOG2;
            long key = (k * REGION) >>> windowShift;
            long regionEnd = ((k + 1) * REGION) >>> windowShift;
            int count = 1 + r.nextInt(12);
            for (int i = 0; i < count && key + pageWindows + 2 <= regionEnd; i++) {
                int windows = switch (r.nextInt(3)) {
                    case 0 -> 1;
                    case 1 -> 1 + r.nextInt(pageWindows);
                    default -> pageWindows;
                };
                key += r.nextInt(3);
                long[] words = new long[windows * WINDOW_WORDS];
                boolean allEmpty = r.nextInt(8) == 0;
                for (int w = 0; w < windows && !allEmpty; w++) {
                    if (r.nextInt(4) != 0) {
                        fillWindow(r, words, w * WINDOW_WORDS);
                    }
                }
                out.add(new Bitmap(order, key, words));
                key += windows;
            }
        }
        return out;
    }

    /** Sparse, dense or full: a window's bits in the shapes kernels write. */
    private static void fillWindow(SplittableRandom r, long[] words, int at) {
        switch (r.nextInt(3)) {
            case 0 -> words[at + r.nextInt(WINDOW_WORDS)] |= 1L << r.nextInt(64);
            case 1 -> {
                for (int j = 0; j < WINDOW_WORDS; j++) {
                    words[at + j] = r.nextLong() & r.nextLong();
                }
            }
            default -> Arrays.fill(words, at, at + WINDOW_WORDS, -1L);
        }
    }

    private interface IndexSink {
        void accept(long index);
    }

    private static void forEachBit(Bitmap b, IndexSink sink) {
        long base = b.firstKey() << WINDOW_BITS_LOG2;
        for (int j = 0; j < b.words().length; j++) {
            for (long w = b.words()[j]; w != 0; w &= w - 1) {
                sink.accept(base + j * 64L + Long.numberOfTrailingZeros(w));
            }
        }
    }

    private static long firstIndex(Bitmap b) {
        long[] first = {-1};
        forEachBit(b, index -> {
            if (first[0] < 0) {
                first[0] = index;
            }
        });
        return first[0];
    }
}
