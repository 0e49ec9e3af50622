package io.kho4j.ftrace.internal;

import java.util.Arrays;

/** Overlap checks over many ranges without sorting range objects: a 256-CPU host describes half a million. */
public final class Ranges {
    private Ranges() {
    }

    /**
     * Half-open ranges are pairwise disjoint exactly when, with starts and ends sorted independently, every start
     * but the first is at or after the previous end: otherwise two ranges are open at that start.
     *
     * @param starts first addresses (sorted in place)
     * @param ends one past the last addresses, same count (sorted in place)
     * @return an address covered by two ranges, or -1 if none is
     */
    public static long firstOverlap(long[] starts, long[] ends) {
        Arrays.sort(starts);
        Arrays.sort(ends);
        for (int i = 1; i < starts.length; i++) {
            if (starts[i] < ends[i - 1]) {
                return starts[i];
            }
        }
        return -1;
    }
}
