package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.preserve.PhysRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bulk paths of {@link PhysicalMemory} ({@code readLongs}, {@code writeLongs}, {@code view}) agree with
 * plain {@code read}/{@code write} for heap and sparse memory, across 4 KiB page boundaries, unwritten pages,
 * unaligned addresses and both byte orders.
 */
class PhysicalMemoryBulkTest {
    private static final long BASE = 0x10_0000;
    private static final int SIZE = 64 << 10;

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 12).mapToObj(seed -> Arguments.of("seed " + seed, seed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void bulkPathsAgreeWithPlainReadsAndWrites(String name, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        PhysicalMemory heap = PhysicalMemory.ofHeap(BASE, SIZE);
        PhysicalMemory sparse = PhysicalMemory.sparse(List.of(new PhysRange(BASE, SIZE)));
        byte[] model = new byte[SIZE];
        for (int op = 0; op < 200; op++) {
            ByteOrder order = random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            int words = random.nextInt(1, 1200);
            int at = random.nextInt(SIZE - words * 8 + 1) & (random.nextInt(4) == 0 ? ~0 : ~7);
            switch (random.nextInt(3)) {
                case 0 -> {
                    long[] src = random.longs(words + 2).toArray();
                    heap.writeLongs(BASE + at, src, 1, words, order);
                    sparse.writeLongs(BASE + at, src, 1, words, order);
                    ByteBuffer.wrap(model, at, words * 8).order(order).asLongBuffer().put(src, 1, words);
                }
                case 1 -> {
                    byte[] src = new byte[words];
                    random.nextBytes(src);
                    heap.write(BASE + at, src);
                    sparse.write(BASE + at, src);
                    System.arraycopy(src, 0, model, at, words);
                }
                default -> {
                    long[] want = new long[words];
                    ByteBuffer.wrap(model, at, words * 8).order(order).asLongBuffer().get(want);
                    for (PhysicalMemory memory : List.of(heap, sparse)) {
                        long[] got = new long[words + 1];
                        memory.readLongs(BASE + at, got, 1, words, order);
                        assertArrayEquals(want, java.util.Arrays.copyOfRange(got, 1, words + 1));
                        ByteBuffer view = memory.view(BASE + at, words * 8);
                        assertEquals(0, view.position());
                        assertEquals(words * 8, view.remaining());
                        assertEquals(ByteBuffer.wrap(model, at, words * 8), view);
                    }
                }
            }
        }
        assertArrayEquals(model, heap.read(BASE, SIZE));
        assertArrayEquals(model, sparse.read(BASE, SIZE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void bulkPathsRefuseRangesOutsideRam(String name, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long at = BASE + SIZE - 8L * random.nextInt(0, 8);
        for (PhysicalMemory memory : List.of(PhysicalMemory.ofHeap(BASE, SIZE),
                PhysicalMemory.sparse(List.of(new PhysRange(BASE, SIZE))))) {
            assertThrows(PhysicalMemoryException.class,
                    () -> memory.readLongs(at, new long[16], 0, 9, ByteOrder.LITTLE_ENDIAN));
            assertThrows(PhysicalMemoryException.class,
                    () -> memory.writeLongs(at, new long[16], 0, 9, ByteOrder.LITTLE_ENDIAN));
            assertThrows(PhysicalMemoryException.class, () -> memory.view(at, 72));
            assertThrows(PhysicalMemoryException.class, () -> memory.view(BASE - 8, 16));
        }
    }
}
