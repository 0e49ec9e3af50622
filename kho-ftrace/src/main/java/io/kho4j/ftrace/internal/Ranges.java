package io.kho4j.ftrace.internal;

import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Overlap checks and page runs over the {@code mem} words of many CPU buffers ({bpage phys, bpage len, data phys,
 * data len} per page) without range objects: a 256-CPU host describes half a million ranges. Allocators hand out a
 * buffer's structs and data pages one after the other, so consecutive ranges mostly touch: one pass collapses them
 * into a few runs, and only the runs are sorted. Starts and ends are sorted independently, which needs no pairs:
 * for half-open ranges of positive length, sorted by start, the i-th smallest end is the end of the first i ranges
 * exactly when they are separate from the rest.
 */
public final class Ranges {
    private static final int WORDS = 4;
    private static final int[] FIELDS = {0, 2};

    private Ranges() {
    }

    /**
     * @param mems every buffer's {@code mem} words; every pair a valid {@link PhysRange}
     * @return an address covered by two ranges (the lowest start, in sorted order, that lies inside an earlier
     *     range), or -1 if none is
     */
    public static long firstOverlap(List<long[]> mems) {
        Runs runs = new Runs();
        for (int field : FIELDS) {
            long end = -1;
            for (long[] mem : mems) {
                for (int w = field; w < mem.length; w += WORDS) {
                    long start = mem[w];
                    if (start == end) {
                        runs.last[runs.count - 1] = start + mem[w + 1];
                    } else {
                        runs.add(start, start + mem[w + 1]);
                    }
                    end = start + mem[w + 1];
                }
            }
        }
        if (firstOverlap(runs.sortedFirst(), runs.sortedLast(), runs.count) < 0) {
            return -1;
        }
        // the runs overlap: the address the message names comes from the ranges themselves
        int n = Math.multiplyExact(2, pageCount(mems));
        Runs ranges = new Runs(n);
        for (long[] mem : mems) {
            for (int w = 0; w < mem.length; w += 2) {
                ranges.add(mem[w], mem[w] + mem[w + 1]);
            }
        }
        return firstOverlap(ranges.sortedFirst(), ranges.sortedLast(), n);
    }

    /** @return the first start below the previous end, both sorted: a start inside an open range; or -1 */
    private static long firstOverlap(long[] starts, long[] ends, int n) {
        for (int i = 1; i < n; i++) {
            if (starts[i] < ends[i - 1]) {
                return starts[i];
            }
        }
        return -1;
    }

    /**
     * The page frames that hold the buffers' structs and data pages, adjacent frames merged, ascending.
     *
     * @param mems every buffer's {@code mem} words; each struct within one page, each data page aligned
     * @param page the page size, a power of two
     * @return the ranges to preserve
     */
    public static List<PhysRange> pageRuns(List<long[]> mems, int page) {
        if (Integer.bitCount(page) != 1) {
            throw new IllegalArgumentException("page size " + page + " is not a power of two");
        }
        int shift = Integer.numberOfTrailingZeros(page);
        Runs runs = new Runs();
        for (int field : FIELDS) {
            for (long[] mem : mems) {
                for (int w = field; w < mem.length; w += WORDS) {
                    long frame = mem[w] >>> shift;
                    long last = runs.count == 0 ? -2 : runs.last[runs.count - 1];
                    if (frame == last || frame == last + 1) {
                        runs.last[runs.count - 1] = frame;
                    } else {
                        runs.add(frame, frame);
                    }
                }
            }
        }
        // closed runs of frames: a union's component ends where the next start lies beyond the i-th smallest last + 1
        long[] first = runs.sortedFirst();
        long[] last = runs.sortedLast();
        List<PhysRange> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < runs.count; i++) {
            if (i == runs.count - 1 || first[i + 1] > last[i] + 1) {
                out.add(new PhysRange(first[from] << shift, (last[i] - first[from] + 1) << shift));
                from = i + 1;
            }
        }
        return out;
    }

    private static int pageCount(List<long[]> mems) {
        int n = 0;
        for (long[] mem : mems) {
            n = Math.addExact(n, mem.length / WORDS);
        }
        return n;
    }

    /** Runs as two growing arrays: their firsts and their ends (or last frames). */
    private static final class Runs {
        long[] first;
        long[] last;
        int count;

        Runs() {
            this(64);
        }

        Runs(int capacity) {
            first = new long[capacity];
            last = new long[capacity];
        }

        void add(long f, long l) {
            if (count == first.length) {
                first = Arrays.copyOf(first, Math.multiplyExact(2, count));
                last = Arrays.copyOf(last, 2 * count);
            }
            first[count] = f;
            last[count++] = l;
        }

        long[] sortedFirst() {
            Arrays.sort(first, 0, count);
            return first;
        }

        long[] sortedLast() {
            Arrays.sort(last, 0, count);
            return last;
        }
    }
}
