package io.kho4j.ftrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one-pass checks give what sorting every range gives, for ascending buffers (the fast path), for shuffled ones
 * (the fallback) and for overlapping ones.
 */
class RangesTest {
    private static final int PAGE = 4096;
    private static final int STRUCT = 0x38;

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 40).mapToObj(i -> 0x5261_6e67L + i * 6151).map(seed -> Arguments.of(
                "seed 0x" + Long.toHexString(seed), seed));
    }

    /** Structs packed into slots of struct pages, data pages in frames after them; shuffled or made to collide. */
    static List<long[]> randomMems(SplittableRandom r) {
        List<long[]> mems = new ArrayList<>();
        long frame = 0x10_0000 + r.nextInt(16);
        long structFrame = frame++;
        int slot = 0;
        for (int c = r.nextInt(6); c > 0; c--) {
            int pages = r.nextInt(40);
            long[] mem = new long[4 * pages];
            for (int p = 0; p < pages; p++) {
                if (slot == PAGE / STRUCT || r.nextInt(20) == 0) {
                    slot = 0;
                    structFrame = frame++;
                }
                frame += r.nextInt(3) == 0 ? r.nextInt(3) : 0;
                mem[4 * p] = structFrame * PAGE + (long) slot++ * STRUCT;
                mem[4 * p + 1] = STRUCT;
                mem[4 * p + 2] = frame++ * PAGE;
                mem[4 * p + 3] = PAGE;
            }
            mems.add(mem);
        }
        int mode = r.nextInt(3);
        if (mode == 1) {
            shuffle(mems, r);
        } else if (mode == 2 && !mems.isEmpty() && mems.get(0).length >= 8) {
            // one range onto another: a struct onto a data page, a data page onto another, or a struct onto a struct
            long[] victim = mems.get(r.nextInt(mems.size()));
            if (victim.length >= 8) {
                int from = 4 * r.nextInt(victim.length / 4);
                int to = 4 * r.nextInt(victim.length / 4);
                int field = r.nextBoolean() ? 0 : 2;
                victim[to + field] = victim[from + 2 - field] + (field == 0 ? r.nextInt(PAGE - STRUCT) : 0);
            }
        }
        return mems;
    }

    private static void shuffle(List<long[]> mems, SplittableRandom r) {
        for (long[] mem : mems) {
            for (int i = mem.length / 4 - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                for (int w = 0; w < 4; w++) {
                    long t = mem[4 * i + w];
                    mem[4 * i + w] = mem[4 * j + w];
                    mem[4 * j + w] = t;
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void theOnePassChecksAgreeWithSortingEveryRange(String name, long seed) {
        List<long[]> mems = randomMems(new SplittableRandom(seed));
        List<long[]> ranges = new ArrayList<>();
        for (long[] mem : mems) {
            for (int w = 0; w < mem.length; w += 2) {
                ranges.add(new long[] {mem[w], mem[w] + mem[w + 1]});
            }
        }
        assertEquals(sortedOverlap(ranges), Ranges.firstOverlap(mems), name);
        assertEquals(sortedRuns(ranges), Ranges.pageRuns(mems, PAGE), name);
    }

    /** @return the lowest start inside an earlier range, ranges sorted by start and end: the old check */
    private static long sortedOverlap(List<long[]> ranges) {
        long[] starts = ranges.stream().mapToLong(x -> x[0]).sorted().toArray();
        long[] ends = ranges.stream().mapToLong(x -> x[1]).sorted().toArray();
        for (int i = 1; i < starts.length; i++) {
            if (starts[i] < ends[i - 1]) {
                return starts[i];
            }
        }
        return -1;
    }

    /** @return every frame a range starts in, as runs of adjacent frames, frame by frame */
    private static List<PhysRange> sortedRuns(List<long[]> ranges) {
        long[] frames = ranges.stream().mapToLong(x -> x[0] / PAGE).distinct().sorted().toArray();
        List<PhysRange> runs = new ArrayList<>();
        int i = 0;
        while (i < frames.length) {
            int j = i;
            while (j + 1 < frames.length && frames[j + 1] == frames[j] + 1) {
                j++;
            }
            runs.add(new PhysRange(frames[i] * PAGE, (frames[j] - frames[i] + 1) * PAGE));
            i = j + 1;
        }
        return runs;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void touchingRangesAreNotAnOverlap(String name, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] mem = new long[4 * (1 + r.nextInt(20))];
        long at = PAGE * (1L + r.nextInt(100));
        for (int w = 0; w < mem.length; w += 4) {
            mem[w] = at;
            mem[w + 1] = STRUCT;
            mem[w + 2] = at + STRUCT;
            mem[w + 3] = PAGE;
            at += STRUCT + PAGE;
        }
        assertEquals(-1, Ranges.firstOverlap(List.of(mem)), name + " " + Arrays.toString(mem));
    }
}
