package io.kho4j.preserve;

import io.kho4j.host.PhysicalMemoryException;
import java.util.Arrays;

/**
 * A page an encoder is filling in any order (a chunk, a radix table, a slab of 512-byte bitmaps): it holds only the span of words set so far and writes the rest of the page as zeros. Tables and
 * chunks of a small map are mostly empty, so an encode neither allocates nor clears whole pages for them
 * (64 KiB each with 64 KiB pages).
 */
final class PartialPage {
    private final int pageWords;
    private long[] words = new long[16];
    /** Words {@code [from, to)} of the page are {@code words[0 .. to - from)}; none when equal. */
    private int from;
    private int to;

    /** @param pageWords words in the page */
    PartialPage(int pageWords) {
        this.pageWords = pageWords;
    }

    /** Makes the page all zeros. */
    void clear() {
        Arrays.fill(words, 0, to - from, 0L);
        from = 0;
        to = 0;
    }

    /** Sets word {@code index}. */
    void set(int index, long value) {
        cover(index, index + 1);
        words[index - from] = value;
    }

    /** Sets words {@code [index, index + count)} to {@code src[offset ..]}. */
    void set(int index, long[] src, int offset, int count) {
        cover(index, index + count);
        System.arraycopy(src, offset, words, index - from, count);
    }

    /** Writes the whole page: the span, zeros around it. */
    void write(MapWriter writer, long phys) throws PhysicalMemoryException {
        writer.writePage(phys, words, from, to);
    }

    /** Widens the span to include {@code [start, end)}, keeping the words set and zero elsewhere. */
    private void cover(int start, int end) {
        if (start < 0 || end > pageWords) {
            throw new IndexOutOfBoundsException("words [" + start + ", " + end + ") of a " + pageWords + "-word page");
        }
        if (to == from) {
            from = start;
            to = start;
        }
        int newFrom = Math.min(from, start);
        int newTo = Math.max(to, end);
        if (newFrom < from || newTo - newFrom > words.length) {
            long[] grown = new long[Math.min(pageWords, Math.max(2 * words.length, newTo - newFrom))];
            System.arraycopy(words, 0, grown, from - newFrom, to - from);
            words = grown;
        }
        from = newFrom;
        to = newTo;
    }
}
