package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.host.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoders' page writers against a plain {@code long[]} page: {@link PartialPage} (words set in any order,
 * reused after clear) and {@link MapWriter.SequentialPage} (runs put front to back); both must leave the page
 * exactly as the oracle, zeros included, over memory that held garbage.
 */
class PageWritersTest {
    private static final long PAGE = 0x20_0000;

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 18).mapToObj(i -> Arguments.of(new SplittableRandom(0x5e9a6eL + i).nextLong(),
                PageSize.values()[(int) (i % PageSize.values().length)],
                i % 2 == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN));
    }

    @ParameterizedTest(name = "seed {0}, {1}, {2}")
    @MethodSource("seeds")
    void partialPageWritesWhatWasSetAndZerosElsewhere(long seed, PageSize pageSize, ByteOrder order)
            throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int words = pageSize.bytes() / 8;
        PartialPage page = new PartialPage(words);
        for (int round = 0; round < 3; round++) {
            page.clear();
            long[] oracle = new long[words];
            int sets = random.nextInt(200);
            for (int k = 0; k < sets; k++) {
                int index = random.nextInt(words);
                if (random.nextBoolean()) {
                    long value = random.nextLong();
                    page.set(index, value);
                    oracle[index] = value;
                } else {
                    int count = 1 + random.nextInt(Math.min(128, words - index));
                    long[] src = random.longs(count + 3).toArray();
                    page.set(index, src, 3, count);
                    System.arraycopy(src, 3, oracle, index, count);
                }
            }
            PhysicalMemory memory = garbage(pageSize);
            page.write(writer(memory, pageSize, order), PAGE);
            assertArrayEquals(oracle, read(memory, pageSize, order), "seed " + seed + " round " + round);
        }
    }

    @ParameterizedTest(name = "seed {0}, {1}, {2}")
    @MethodSource("seeds")
    void sequentialPageWritesRunsInOrderAndZerosElsewhere(long seed, PageSize pageSize, ByteOrder order)
            throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int words = pageSize.bytes() / 8;
        long[] source = random.longs(2L * words).toArray();
        PhysicalMemory memory = garbage(pageSize);
        MapWriter.SequentialPage page = writer(memory, pageSize, order).new SequentialPage();
        long[] oracle = new long[words];
        page.begin(PAGE);
        for (int index = random.nextInt(64); index < words; ) {
            int count = 1 + random.nextInt(Math.min(64, words - index));
            // Sometimes the words that follow in the source (a run the page merges), sometimes anywhere.
            int offset = random.nextBoolean() ? index : random.nextInt(source.length - count);
            page.put(index, source, offset, count);
            System.arraycopy(source, offset, oracle, index, count);
            index += count + (random.nextBoolean() ? 0 : random.nextInt(256));
        }
        page.end();
        assertArrayEquals(oracle, read(memory, pageSize, order), "seed " + seed);
    }

    @Test
    void aSequentialPageRefusesToGoBack() throws Exception {
        PhysicalMemory memory = garbage(PageSize.KIB_4);
        MapWriter.SequentialPage page = writer(memory, PageSize.KIB_4, ByteOrder.LITTLE_ENDIAN).new SequentialPage();
        page.begin(PAGE);
        page.put(8, new long[4], 0, 4);
        page.put(16, new long[4], 0, 4);
        assertThrows(IllegalStateException.class, () -> page.put(10, new long[1], 0, 1));
    }

    @Test
    void aPartialPageRefusesWordsOutsideThePage() {
        PartialPage page = new PartialPage(512);
        assertThrows(IndexOutOfBoundsException.class, () -> page.set(512, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> page.set(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> page.set(500, new long[13], 0, 13));
    }

    private static PhysicalMemory garbage(PageSize pageSize) throws Exception {
        PhysicalMemory memory = PhysicalMemory.ofHeap(PAGE, pageSize.bytes());
        byte[] junk = new byte[pageSize.bytes()];
        Arrays.fill(junk, (byte) 0xa5);
        memory.write(PAGE, junk);
        return memory;
    }

    private static MapWriter writer(PhysicalMemory memory, PageSize pageSize, ByteOrder order) {
        return new MapWriter(PreservedMemoryMap.of(pageSize, List.of()), memory,
                () -> { throw new AssertionError("no page is allocated"); }, order);
    }

    private static long[] read(PhysicalMemory memory, PageSize pageSize, ByteOrder order) throws Exception {
        long[] out = new long[pageSize.bytes() / 8];
        ByteBuffer.wrap(memory.read(PAGE, pageSize.bytes())).order(order).asLongBuffer().get(out);
        return out;
    }
}
