package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.preserve.PhysRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SparsePhysicalMemory} against a page-map model: random reads and writes, zero and non-zero, across
 * 4 KiB pages and slabs and over two RAM ranges with a hole between them; what it stores stays proportional to
 * the pages written with something other than zeros.
 */
class SparsePhysicalMemoryTest {
    private static final int PAGE = 4096;
    private static final long LOW = 0x4000_0000L;
    private static final long LOW_SIZE = 3L << 20;
    private static final int LOW_SIZE_INT = (int) LOW_SIZE;
    /** A hole of 1 MiB between the ranges: accesses across it are not RAM. */
    private static final long HIGH = LOW + (4L << 20);
    private static final long HIGH_SIZE = 2L << 20;

    /** The oracle: page number to its bytes; absent pages read as zeros. */
    private static final class Model {
        final Map<Long, byte[]> pages = new HashMap<>();
        final Set<Long> everNonZero = new HashSet<>();

        void write(long phys, byte[] src) {
            for (int i = 0; i < src.length; i++) {
                long at = phys + i;
                pages.computeIfAbsent(at / PAGE, k -> new byte[PAGE])[(int) (at % PAGE)] = src[i];
                if (src[i] != 0) {
                    everNonZero.add(at / PAGE);
                }
            }
        }

        byte[] read(long phys, int length) {
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                byte[] page = pages.get((phys + i) / PAGE);
                out[i] = page == null ? 0 : page[(int) ((phys + i) % PAGE)];
            }
            return out;
        }
    }

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 16).mapToObj(seed -> Arguments.of("seed " + seed, seed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void agreesWithAPageMapAcrossPagesAndSlabs(String name, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        SparsePhysicalMemory memory = new SparsePhysicalMemory(List.of(new PhysRange(HIGH, HIGH_SIZE),
                new PhysRange(LOW, LOW_SIZE)));
        Model model = new Model();
        for (int op = 0; op < 1500; op++) {
            boolean high = random.nextBoolean();
            long base = high ? HIGH : LOW;
            long size = high ? HIGH_SIZE : LOW_SIZE;
            int length = random.nextInt(4) == 0 ? random.nextInt(1, 3 * PAGE) : random.nextInt(1, 64);
            long phys = base + random.nextLong(size - length + 1);
            if (random.nextInt(3) > 0) {
                phys &= ~7L; // the bulk paths take aligned addresses; unaligned ones fall back
            }
            ByteOrder order = random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            byte[] bytes = new byte[length];
            if (random.nextInt(3) > 0) {
                random.nextBytes(bytes);
                if (random.nextBoolean()) {
                    Arrays.fill(bytes, 0, random.nextInt(length + 1), (byte) 0); // zeros, then not
                }
            }
            switch (random.nextInt(5)) {
                case 0 -> {
                    memory.write(phys, bytes, 0, length);
                    model.write(phys, bytes);
                }
                case 1 -> {
                    int words = length / Long.BYTES;
                    long[] src = new long[words + 1];
                    ByteBuffer.wrap(bytes).order(order).asLongBuffer().get(src, 1, words);
                    memory.writeLongs(phys, src, 1, words, order);
                    model.write(phys, Arrays.copyOf(bytes, words * Long.BYTES));
                }
                case 2 -> {
                    long[] got = new long[length / Long.BYTES + 2];
                    memory.readLongs(phys, got, 2, length / Long.BYTES, order);
                    long[] want = new long[length / Long.BYTES];
                    ByteBuffer.wrap(model.read(phys, want.length * Long.BYTES)).order(order).asLongBuffer().get(want);
                    assertArrayEquals(want, Arrays.copyOfRange(got, 2, got.length), "readLongs at 0x"
                            + Long.toHexString(phys));
                }
                case 3 -> assertEquals(ByteBuffer.wrap(model.read(phys, length)), memory.view(phys, length),
                        "view at 0x" + Long.toHexString(phys));
                default -> {
                    byte[] got = new byte[length + 3];
                    memory.read(phys, got, 3, length);
                    assertArrayEquals(model.read(phys, length), Arrays.copyOfRange(got, 3, got.length),
                            "read at 0x" + Long.toHexString(phys));
                }
            }
            if (random.nextInt(50) == 0) {
                long across = LOW + LOW_SIZE - random.nextInt(1, PAGE);
                assertThrows(PhysicalMemoryException.class, () -> memory.write(across, new byte[2 * PAGE]));
                assertThrows(PhysicalMemoryException.class, () -> memory.read(across, 2 * PAGE));
            }
            assertEquals(model.everNonZero.size(), memory.storedPages(), "pages stored after op " + op);
            assertTrue(memory.slabBytes() <= 2L * PAGE * memory.storedPages(), memory.slabBytes()
                    + " bytes of slabs for " + memory.storedPages() + " pages");
        }
        for (long page : model.pages.keySet()) {
            assertArrayEquals(model.read(page * PAGE, PAGE), memory.read(page * PAGE, PAGE), "page " + page);
        }
    }

    @Test
    void zerosWrittenToUnwrittenPagesAreNotStoredButOverwriteWrittenOnes() throws Exception {
        SparsePhysicalMemory memory = new SparsePhysicalMemory(List.of(new PhysRange(LOW, LOW_SIZE)));
        memory.write(LOW, new byte[LOW_SIZE_INT]);
        memory.writeLongs(LOW, new long[1024], 0, 1024, ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, memory.storedPages());
        assertEquals(0, memory.slabBytes());
        memory.writeU64(LOW + PAGE - 4, -1L, ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, memory.storedPages());
        memory.write(LOW, new byte[2 * PAGE]);
        assertEquals(0L, memory.readU64(LOW + PAGE - 4, ByteOrder.LITTLE_ENDIAN));
        assertEquals(2, memory.storedPages());
    }

    @Test
    void accessesOutsideRamFailAndStoreNothing() {
        SparsePhysicalMemory memory = new SparsePhysicalMemory(List.of(new PhysRange(LOW, LOW_SIZE),
                new PhysRange(HIGH, HIGH_SIZE)));
        byte[] ones = new byte[16];
        Arrays.fill(ones, (byte) 1);
        for (long phys : new long[] {LOW - 8, LOW + LOW_SIZE - 8, HIGH - 16, HIGH + HIGH_SIZE - 1, -8}) {
            PhysicalMemoryException e = assertThrows(PhysicalMemoryException.class, () -> memory.write(phys, ones));
            assertEquals(phys, e.address());
            assertThrows(PhysicalMemoryException.class, () -> memory.writeLongs(phys, new long[] {1, 2}, 0, 2,
                    ByteOrder.LITTLE_ENDIAN));
        }
        assertEquals(0, memory.storedPages());
    }
}
