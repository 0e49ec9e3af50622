package io.kho4j.ftrace.internal;

import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Overlap checks and page runs over the {@code mem} words of many CPU buffers ({bpage phys, bpage len, data phys,
 * data len} per page) without range objects: a 256-CPU host describes half a million ranges. Allocators hand out
 * buffer_page structs and data pages in ascending order, so each of the two sequences is usually ascending already
 * and collapses into a few runs of adjacent memory in one pass; merging the two lists of runs settles the common
 * case. Anything else falls back to sorting all starts.
 */
public final class Ranges {
    private static final int WORDS = 4;
    private static final int BPAGE = 0;
    private static final int DATA = 2;

    private Ranges() {
    }

    /**
     * @param mems every buffer's {@code mem} words; every pair a valid {@link PhysRange}
     * @return an address covered by two ranges (the lowest start, in sorted order, that lies inside an earlier
     *     range), or -1 if none is
     */
    public static long firstOverlap(List<long[]> mems) {
        Runs structs = Runs.ofRanges(mems, BPAGE);
        Runs data = structs == null ? null : Runs.ofRanges(mems, DATA);
        if (data != null && structs.disjointFrom(data)) {
            return -1;
        }
        int n = Math.multiplyExact(2, pageCount(mems));
        long[] starts = new long[n];
        long[] ends = new long[n];
        int i = 0;
        for (long[] mem : mems) {
            for (int w = 0; w < mem.length; w += 2) {
                starts[i] = mem[w];
                ends[i++] = mem[w] + mem[w + 1];
            }
        }
        // half-open ranges are pairwise disjoint exactly when, with starts and ends sorted independently, every start
        // but the first is at or after the previous end: otherwise two ranges are open at that start
        Arrays.sort(starts);
        Arrays.sort(ends);
        for (i = 1; i < n; i++) {
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
        Runs frames;
        Runs structs = Runs.ofFrames(mems, BPAGE, shift);
        Runs data = structs == null ? null : Runs.ofFrames(mems, DATA, shift);
        if (data != null) {
            frames = structs.union(data);
        } else {
            long[] all = new long[Math.multiplyExact(2, pageCount(mems))];
            int i = 0;
            for (long[] mem : mems) {
                for (int w = 0; w < mem.length; w += 2) {
                    all[i++] = mem[w] >>> shift;
                }
            }
            Arrays.sort(all);
            frames = new Runs(16);
            for (long f : all) {
                frames.addFrame(f);
            }
        }
        List<PhysRange> out = new ArrayList<>(frames.count);
        for (int i = 0; i < frames.count; i++) {
            // a run of frames [first, last]
            out.add(new PhysRange(frames.first[i] << shift, (frames.last[i] - frames.first[i] + 1) << shift));
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

    /** Ascending, disjoint runs: address ranges [first, last) or page frames [first, last]. */
    private static final class Runs {
        long[] first;
        long[] last;
        int count;

        Runs(int capacity) {
            first = new long[capacity];
            last = new long[capacity];
        }

        /** @return the ranges of one field as runs of touching ranges, or null if they are not ascending and disjoint */
        static Runs ofRanges(List<long[]> mems, int field) {
            Runs runs = new Runs(16);
            long end = Long.MIN_VALUE;
            for (long[] mem : mems) {
                for (int w = field; w < mem.length; w += WORDS) {
                    long start = mem[w];
                    if (start < end) {
                        return null;
                    }
                    if (start > end) {
                        runs.append(start);
                    }
                    end = start + mem[w + 1];
                    runs.last[runs.count - 1] = end;
                }
            }
            return runs;
        }

        /** @return the page frames of one field as runs of adjacent frames, or null if they are not ascending */
        static Runs ofFrames(List<long[]> mems, int field, int shift) {
            Runs runs = new Runs(16);
            for (long[] mem : mems) {
                for (int w = field; w < mem.length; w += WORDS) {
                    if (!runs.addFrame(mem[w] >>> shift)) {
                        return null;
                    }
                }
            }
            return runs;
        }

        /** @return false, adding nothing, if {@code frame} lies below the last run's end */
        boolean addFrame(long frame) {
            if (count > 0 && frame <= last[count - 1] + 1) {
                if (frame < last[count - 1]) {
                    return false;
                }
                last[count - 1] = frame;
            } else {
                append(frame);
                last[count - 1] = frame;
            }
            return true;
        }

        private void append(long start) {
            if (count == first.length) {
                first = Arrays.copyOf(first, 2 * count);
                last = Arrays.copyOf(last, 2 * count);
            }
            first[count++] = start;
        }

        /** @return whether no address range of this list overlaps one of {@code other} */
        boolean disjointFrom(Runs other) {
            int i = 0;
            int j = 0;
            long end = Long.MIN_VALUE;
            while (i < count || j < other.count) {
                boolean mine = j == other.count || i < count && first[i] <= other.first[j];
                long start = mine ? first[i] : other.first[j];
                if (start < end) {
                    return false;
                }
                end = mine ? last[i++] : other.last[j++];
            }
            return true;
        }

        /** @return the frame runs of both lists, adjacent and overlapping runs joined */
        Runs union(Runs other) {
            Runs out = new Runs(Math.max(16, count + other.count));
            int i = 0;
            int j = 0;
            while (i < count || j < other.count) {
                boolean mine = j == other.count || i < count && first[i] <= other.first[j];
                long f = mine ? first[i] : other.first[j];
                long l = mine ? last[i++] : other.last[j++];
                if (out.count > 0 && f <= out.last[out.count - 1] + 1) {
                    out.last[out.count - 1] = Math.max(out.last[out.count - 1], l);
                } else {
                    out.append(f);
                    out.last[out.count - 1] = l;
                }
            }
            return out;
        }
    }
}
