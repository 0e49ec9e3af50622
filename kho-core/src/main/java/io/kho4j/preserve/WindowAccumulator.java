package io.kho4j.preserve;

import static io.kho4j.preserve.OrderWindows.WINDOW_BITS_LOG2;
import static io.kho4j.preserve.OrderWindows.WINDOW_WORDS;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Collects the windows of one order while a map is built or decoded. Windows arriving in ascending order
 * (the kernel's xarray and radix walks, sequential ranges) are appended without hashing; an index is built
 * only once a window arrives out of order.
 */
final class WindowAccumulator {
    private long[] keys = new long[4];
    private long[] words = new long[4 * WINDOW_WORDS];
    private int count;
    private Map<Long, Integer> index;
    private boolean sorted = true;

    /** @return the slot of window {@code key}, created empty if absent */
    private int slot(long key) {
        if (count > 0 && keys[count - 1] == key) {
            return count - 1;
        }
        if (index == null && count > 0 && key < keys[count - 1]) {
            index = new HashMap<>();
            for (int i = 0; i < count; i++) {
                index.put(keys[i], i);
            }
        }
        if (index != null) {
            Integer existing = index.get(key);
            if (existing != null) {
                return existing;
            }
            if (key < keys[count - 1]) {
                sorted = false;
            }
        }
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, count * 2);
            words = Arrays.copyOf(words, count * 2 * WINDOW_WORDS);
        }
        keys[count] = key;
        if (index != null) {
            index.put(key, count);
        }
        return count++;
    }

    /** @return false if the block index was already set */
    boolean set(long blockIndex) {
        int at = slot(blockIndex >>> WINDOW_BITS_LOG2) * WINDOW_WORDS + (int) ((blockIndex >>> 6) & (WINDOW_WORDS - 1));
        long bit = 1L << blockIndex;
        if ((words[at] & bit) != 0) {
            return false;
        }
        words[at] |= bit;
        return true;
    }

    /**
     * Sets block indices {@code [from, to)} word by word.
     *
     * @return the first index that was already set, or -1
     */
    long setRange(long from, long to) {
        long collision = -1;
        long i = from;
        while (i < to) {
            long windowEnd = Math.min(to, ((i >>> WINDOW_BITS_LOG2) + 1) << WINDOW_BITS_LOG2);
            int base = slot(i >>> WINDOW_BITS_LOG2) * WINDOW_WORDS;
            while (i < windowEnd) {
                int bit = (int) (i & 63);
                int n = (int) Math.min(64 - bit, windowEnd - i);
                long mask = (n == 64 ? -1L : ((1L << n) - 1)) << bit;
                int at = base + (int) ((i >>> 6) & (WINDOW_WORDS - 1));
                if (collision < 0 && (words[at] & mask) != 0) {
                    collision = (i & ~63L) + Long.numberOfTrailingZeros(words[at] & mask);
                }
                words[at] |= mask;
                i += n;
            }
        }
        return collision;
    }

    /**
     * ORs one window of words into the map.
     *
     * @param key window index
     * @param src words
     * @param offset index of the window's first word in {@code src}
     * @return the first block index that was already set, or -1
     */
    long or(long key, long[] src, int offset) {
        int base = slot(key) * WINDOW_WORDS;
        long collision = -1;
        for (int j = 0; j < WINDOW_WORDS; j++) {
            long w = src[offset + j];
            long both = words[base + j] & w;
            if (both != 0 && collision < 0) {
                collision = (key << WINDOW_BITS_LOG2) + j * 64L + Long.numberOfTrailingZeros(both);
            }
            words[base + j] |= w;
        }
        return collision;
    }

    /** @return the windows sorted by key, or null if none were added; the accumulator must not be used again */
    OrderWindows finish() {
        if (count == 0) {
            return null;
        }
        if (sorted) {
            return new OrderWindows(keys, words, count);
        }
        long[] sortedKeys = Arrays.copyOf(keys, count);
        Arrays.sort(sortedKeys);
        long[] sortedWords = new long[count * WINDOW_WORDS];
        for (int i = 0; i < count; i++) {
            System.arraycopy(words, index.get(sortedKeys[i]) * WINDOW_WORDS, sortedWords, i * WINDOW_WORDS,
                    WINDOW_WORDS);
        }
        return new OrderWindows(sortedKeys, sortedWords, count);
    }
}
