package io.kho4j.ftrace;

import io.kho4j.preserve.PhysRange;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A CPU buffer's pages held as the {@code mem} property's own words, {bpage phys, bpage len, data phys, data len}
 * per page: a 256-CPU host has a quarter of a million pages, and three objects per page cost more than writing or
 * reading the property. {@link BufferPage}s are made on access. Immutable; every range is a valid
 * {@link PhysRange}.
 */
final class MemPages extends AbstractList<BufferPage> implements RandomAccess {
    /** Words per page in {@code mem} (kho-abi.md §6). */
    static final int WORDS = 4;

    private final long[] mem;

    private MemPages(long[] mem) {
        this.mem = mem;
    }

    /** @return {@code pages} as words; a MemPages as it is */
    static MemPages copyOf(List<BufferPage> pages) {
        if (pages instanceof MemPages m) {
            return m;
        }
        long[] mem = new long[Math.multiplyExact(WORDS, pages.size())];
        int i = 0;
        for (BufferPage p : pages) {
            Objects.requireNonNull(p, "page");
            mem[i++] = p.bpage().start();
            mem[i++] = p.bpage().size();
            mem[i++] = p.data().start();
            mem[i++] = p.data().size();
        }
        return new MemPages(mem);
    }

    /**
     * @param mem words, kept (the caller hands them over)
     * @throws IllegalArgumentException for a length that is not whole pages, or a pair that is no {@link PhysRange}
     */
    static MemPages checked(long[] mem) {
        if (mem.length % WORDS != 0) {
            throw new IllegalArgumentException(mem.length + " words are not whole {bpage phys, bpage len, data phys,"
                    + " data len} pages");
        }
        for (int i = 0; i < mem.length; i += 2) {
            new PhysRange(mem[i], mem[i + 1]);
        }
        return new MemPages(mem);
    }

    /** @param mem words whose pairs the caller has checked to be valid ranges, kept */
    static MemPages trusted(long[] mem) {
        return new MemPages(mem);
    }

    /** @return the words themselves: callers only read them */
    long[] words() {
        return mem;
    }

    @Override
    public BufferPage get(int index) {
        Objects.checkIndex(index, size());
        int i = WORDS * index;
        return new BufferPage(new PhysRange(mem[i], mem[i + 1]), new PhysRange(mem[i + 2], mem[i + 3]));
    }

    @Override
    public int size() {
        return mem.length / WORDS;
    }

    /** Two word arrays compare without making pages; any other list as a list. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MemPages m ? Arrays.equals(mem, m.mem) : super.equals(o);
    }

    /** List's hash of the elements, which lists of {@link BufferPage}s equal to this one share. */
    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
