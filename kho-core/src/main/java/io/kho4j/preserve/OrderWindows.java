package io.kho4j.preserve;

import java.util.Arrays;

/**
 * The blocks of one order, as sorted 4096-bit windows over the block index {@code phys >> (PAGE_SHIFT + order)}.
 *
 * <p>4096 bits is the smallest bitmap any generation writes (6.16's 512-byte {@code kho_mem_phys_bits},
 * kho-abi.md §2), and every larger bitmap (a page of bits, a radix leaf) is a whole number of aligned
 * windows, so codecs move words between a map and kernel bitmaps without looking at single bits. Memory is
 * 512 bytes per window holding at least one block, never proportional to RAM.
 */
final class OrderWindows {
    static final int WINDOW_BITS_LOG2 = 12;
    static final int WINDOW_BITS = 1 << WINDOW_BITS_LOG2;
    static final int WINDOW_WORDS = WINDOW_BITS / 64;

    /** Window indices, ascending, unique; only the first {@link #count()} are used. */
    final long[] keys;
    /** {@link #WINDOW_WORDS} words per window; bit i of word j is block index {@code key*4096 + j*64 + i}. */
    final long[] words;
    private final int count;

    /** Takes the arrays as they are: a decoder's arrays are not copied again just to trim them. */
    OrderWindows(long[] keys, long[] words, int count) {
        this.keys = keys;
        this.words = words;
        this.count = count;
    }

    int count() {
        return count;
    }

    long bitCount() {
        long n = 0;
        for (int i = 0; i < count * WINDOW_WORDS; i++) {
            n += Long.bitCount(words[i]);
        }
        return n;
    }

    /**
     * @param window window position (not key)
     * @param from first bit in the window
     * @param toExclusive end bit in the window
     * @return the first set bit in {@code [from, toExclusive)}, or -1
     */
    int nextSetBit(int window, int from, int toExclusive) {
        int base = window * WINDOW_WORDS;
        int bit = from;
        while (bit < toExclusive) {
            long w = words[base + (bit >>> 6)] & (-1L << (bit & 63));
            if (w != 0) {
                int found = (bit & ~63) + Long.numberOfTrailingZeros(w);
                return found < toExclusive ? found : -1;
            }
            bit = (bit & ~63) + 64;
        }
        return -1;
    }

    /**
     * @param first first block index
     * @param last last block index, inclusive
     * @return the lowest set block index in {@code [first, last]}, or -1
     */
    long firstSetIndex(long first, long last) {
        int i = Arrays.binarySearch(keys, 0, count, first >>> WINDOW_BITS_LOG2);
        if (i < 0) {
            i = -i - 1;
        }
        for (; i < count && keys[i] <= last >>> WINDOW_BITS_LOG2; i++) {
            long windowStart = keys[i] << WINDOW_BITS_LOG2;
            int from = (int) (Math.max(first, windowStart) - windowStart);
            int to = (int) (Math.min(last, windowStart + WINDOW_BITS - 1) - windowStart) + 1;
            int bit = nextSetBit(i, from, to);
            if (bit >= 0) {
                return windowStart + bit;
            }
        }
        return -1;
    }

    /**
     * Finds a block of order {@code low} that lies inside a block of order {@code high}; blocks of one order
     * never overlap each other. Cost is linear in the windows of both orders, never in RAM size.
     *
     * @return {@code {lowIndex, highIndex}} of the first overlap found, or null
     */
    static long[] findOverlap(OrderWindows low, OrderWindows high, int orderDifference) {
        int d = orderDifference;
        int j = 0;
        for (int i = 0; i < low.count; i++) {
            long firstLow = low.keys[i] << WINDOW_BITS_LOG2;
            long firstHigh = firstLow >>> d;
            long lastHigh = (firstLow + WINDOW_BITS - 1) >>> d;
            long highKey = firstHigh >>> WINDOW_BITS_LOG2;
            while (j < high.count && high.keys[j] < highKey) {
                j++;
            }
            if (j == high.count) {
                return null;
            }
            if (high.keys[j] != highKey) {
                continue;
            }
            long highBase = highKey << WINDOW_BITS_LOG2;
            int end = (int) (lastHigh - highBase) + 1;
            for (int b = high.nextSetBit(j, (int) (firstHigh - highBase), end); b >= 0;
                    b = high.nextSetBit(j, b + 1, end)) {
                long highIndex = highBase + b;
                int from = (int) (Math.max(highIndex << d, firstLow) - firstLow);
                int to = (int) (Math.min((highIndex + 1) << d, firstLow + WINDOW_BITS) - firstLow);
                int hit = low.nextSetBit(i, from, to);
                if (hit >= 0) {
                    return new long[] {firstLow + hit, highIndex};
                }
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderWindows w && Arrays.equals(keys, 0, count, w.keys, 0, w.count)
                && Arrays.equals(words, 0, count * WINDOW_WORDS, w.words, 0, w.count * WINDOW_WORDS);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < count; i++) {
            h = 31 * h + Long.hashCode(keys[i]);
        }
        for (int i = 0; i < count * WINDOW_WORDS; i++) {
            h = 31 * h + Long.hashCode(words[i]);
        }
        return h;
    }
}
