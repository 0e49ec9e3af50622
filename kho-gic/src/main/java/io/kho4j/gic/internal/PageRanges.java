package io.kho4j.gic.internal;

import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.List;

/** Rounds ranges out to whole pages and merges what then touches, so each page is preserved exactly once. */
public final class PageRanges {
    private PageRanges() {
    }

    /**
     * @param ranges ranges in any order
     * @param pageSize a power of two
     * @return page-aligned, sorted, non-touching ranges covering them
     */
    public static List<PhysRange> cover(List<PhysRange> ranges, long pageSize) {
        List<PhysRange> rounded = new ArrayList<>();
        for (PhysRange r : ranges) {
            long start = r.start() & -pageSize;
            rounded.add(PhysRange.ofEnd(start, GicConstants.alignUp(r.end(), pageSize)));
        }
        rounded.sort(null);
        List<PhysRange> out = new ArrayList<>();
        for (PhysRange r : rounded) {
            PhysRange last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r.start() <= last.end()) {
                out.set(out.size() - 1, PhysRange.ofEnd(last.start(), Math.max(last.end(), r.end())));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
