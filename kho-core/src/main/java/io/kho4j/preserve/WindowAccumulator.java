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
 *
 * <p>Decoders {@link #presize} from the counts a map's headers claim (bounded by the caller) and then
 * {@link #reserve} room past the last window, read a kernel bitmap straight into {@link #words()} and
 * {@link #append} its non-empty windows in place: one copy of the bitmap, no growth, no OR pass. Words past
 * the last window are always zero outside a reserve/release pair.
 */
final class WindowAccumulator {
    /** Largest window count whose words still fit one Java array. */
    static final int MAX_WINDOWS = (Integer.MAX_VALUE - 8) / WINDOW_WORDS;

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
            resize(Math.min(MAX_WINDOWS, count * 2));
        }
        keys[count] = key;
        if (index != null) {
            index.put(key, count);
        }
        return count++;
    }

    private void resize(int windows) {
        keys = Arrays.copyOf(keys, windows);
        words = Arrays.copyOf(words, windows * WINDOW_WORDS);
    }

    /**
     * Grows the arrays to hold {@code windows} windows at once, so that a decode does not grow them by
     * doubling. The caller bounds {@code windows} by what the input justifies.
     */
    void presize(long windows) {
        if (windows > keys.length) {
            resize((int) Math.min(windows, MAX_WINDOWS));
        }
    }

    /** @return windows the arrays hold without growing: for tests of the decoders' pre-sizing bounds */
    int capacity() {
        return keys.length;
    }

    /** @return the windows so far */
    int count() {
        return count;
    }

    /** @param slot a slot below {@link #count()} @return its window's key */
    long key(int slot) {
        return keys[slot];
    }

    /** @return the words; valid until the next call that adds a window */
    long[] words() {
        return words;
    }

    /**
     * Makes room for {@code windows} windows after the last one, for a bitmap whose windows all come after it.
     *
     * @param firstKey key of the bitmap's first window
     * @param windows windows in the bitmap
     * @return the index in {@link #words()} where the bitmap may be written, or -1 if its windows would not
     *     come after the last one (the caller then ORs them in with {@link #or})
     */
    int reserve(long firstKey, int windows) {
        if (index != null || (count > 0 && firstKey <= keys[count - 1])) {
            return -1;
        }
        if (count + windows > keys.length) {
            resize((int) Math.min(MAX_WINDOWS, Math.max(count + (long) windows, 2L * count)));
        }
        return count * WINDOW_WORDS;
    }

    /**
     * Keeps a window written after {@link #reserve}: moves it down to the next free slot if earlier reserved
     * windows were empty. Keys must ascend.
     *
     * @param key its key
     * @param from its first word's index in {@link #words()}, at or after the next free slot
     */
    void append(long key, int from) {
        int to = count * WINDOW_WORDS;
        if (from != to) {
            System.arraycopy(words, from, words, to, WINDOW_WORDS);
        }
        keys[count++] = key;
    }

    /** Zeroes the reserved words up to {@code end} that {@link #append} did not keep. */
    void release(int end) {
        Arrays.fill(words, count * WINDOW_WORDS, end, 0L);
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
            if (count < keys.length / 2) {
                resize(count);
            }
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
