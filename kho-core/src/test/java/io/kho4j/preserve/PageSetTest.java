package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decoders' visited set against a {@link HashMap} oracle. */
class PageSetTest {
    static Stream<Arguments> seeds() {
        return LongStream.range(0, 24).mapToObj(i -> {
            long seed = new SplittableRandom(0x9a6e5e7L + i).nextLong();
            return Arguments.of(seed, PageSize.values()[(int) (i % PageSize.values().length)]);
        });
    }

    /**
     * Random adds and look-ups, clustered (runs of neighbouring pages, as allocators hand out) and scattered
     * (anywhere below 2^52, the largest address a pointer check lets through), across several growths and a
     * clear: every answer and every tag agrees with the oracle.
     */
    @ParameterizedTest(name = "seed {0}, {1}")
    @MethodSource("seeds")
    void agreesWithAHashMap(long seed, PageSize pageSize) {
        SplittableRandom random = new SplittableRandom(seed);
        PageSet set = new PageSet(pageSize);
        Map<Long, Integer> oracle = new HashMap<>();
        int operations = 1 + random.nextInt(5_000);
        long base = random.nextLong(1L << (52 - pageSize.shift()));
        for (int op = 0; op < operations; op++) {
            long page = random.nextBoolean() ? base + random.nextInt(2 * operations)
                    : random.nextLong(1L << (52 - pageSize.shift()));
            long phys = page << pageSize.shift();
            if (random.nextInt(3) == 0) {
                assertEquals(oracle.containsKey(phys), set.contains(phys), () -> "seed " + seed + " contains");
                continue;
            }
            int tag = random.nextInt(8);
            Integer before = oracle.putIfAbsent(phys, tag);
            assertEquals(before == null ? -1 : before, set.add(phys, tag), () -> "seed " + seed + " add");
            assertEquals(oracle.size(), set.size());
            if (op == operations / 2 && random.nextBoolean()) {
                set.clear();
                oracle.clear();
                assertEquals(0, set.size());
            }
        }
        for (long phys : oracle.keySet()) {
            assertTrue(set.contains(phys));
            assertEquals(oracle.get(phys), set.add(phys, 0));
        }
    }

    @Test
    void theHighestPageAndPageZeroAreDistinctMembers() {
        PageSet set = new PageSet(PageSize.KIB_4);
        long highest = (1L << 52) - 4096;
        assertFalse(set.contains(0));
        assertTrue(set.add(0));
        assertFalse(set.contains(highest));
        assertTrue(set.add(highest));
        assertFalse(set.add(0));
        assertFalse(set.add(highest));
        assertEquals(2, set.size());
    }
}
