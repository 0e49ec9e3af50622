package io.kho4j.host;

import io.kho4j.preserve.PhysRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Heap memory that stores only the 4 KiB pages written to; unwritten RAM reads as zero. Lets tests and
 * serializers without a machine model address terabytes of RAM while holding only what they touch.
 *
 * <p>Pages live in an open-addressing table keyed by page number (no boxing, no entry objects); their bytes are
 * cut from slabs that double up to {@value #MAX_SLAB_PAGES} pages, so a handover writing thousands of pages
 * allocates a few dozen arrays, not one per page, and the memory held stays at most twice the pages stored.
 * Writing zeros to a page never written stores nothing: it already reads as zeros (a sparse file's hole works the
 * same way), which keeps the zero-filled structures of sample state out of the heap. The bulk paths
 * ({@link #readLongs}, {@link #writeLongs}, {@link #view}) move a page's bytes with one copy or none.
 */
final class SparsePhysicalMemory implements PhysicalMemory {
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    /** Largest slab: 256 KiB, so an almost empty last slab wastes little. */
    static final int MAX_SLAB_PAGES = 64;
    /** What unwritten pages read as; direct, so that {@code CRC32C.update(ByteBuffer)} reads it in place. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(PAGE).asReadOnlyBuffer();
    /** Compared against, never written. */
    private static final byte[] ZERO_BYTES = new byte[PAGE];
    private static final long[] ZERO_LONGS = new long[PAGE / Long.BYTES];

    private final List<PhysRange> ram;
    /** Per slot: page number, the slab that holds the page (null: free slot) and the page's offset in it. */
    private long[] keys = new long[64];
    private byte[][] slabs = new byte[64][];
    private int[] offsets = new int[64];
    private int size;
    /** The slab new pages are cut from, and how many of its bytes are used. */
    private byte[] slab = new byte[0];
    private int slabUsed;
    private long slabBytes;

    SparsePhysicalMemory(List<PhysRange> ram) {
        List<PhysRange> sorted = new ArrayList<>(ram);
        Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).overlaps(sorted.get(i))) {
                throw new IllegalArgumentException("RAM ranges overlap: " + sorted.get(i - 1) + " and " + sorted.get(i));
            }
        }
        this.ram = List.copyOf(sorted);
    }

    @Override
    public List<PhysRange> ram() {
        return ram;
    }

    @Override
    public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
        check(phys, length);
        for (int done = 0; done < length; ) {
            long at = phys + done;
            int in = (int) (at & (PAGE - 1));
            int n = Math.min(length - done, PAGE - in);
            int slot = find(at >>> PAGE_SHIFT);
            if (slot < 0) {
                Arrays.fill(dst, offset + done, offset + done + n, (byte) 0);
            } else {
                System.arraycopy(slabs[slot], offsets[slot] + in, dst, offset + done, n);
            }
            done += n;
        }
    }

    @Override
    public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
        check(phys, length);
        for (int done = 0; done < length; ) {
            long at = phys + done;
            int in = (int) (at & (PAGE - 1));
            int n = Math.min(length - done, PAGE - in);
            int from = offset + done;
            int slot = find(at >>> PAGE_SHIFT);
            if (slot < 0 && Arrays.mismatch(src, from, from + n, ZERO_BYTES, 0, n) >= 0) {
                slot = store(at >>> PAGE_SHIFT);
            }
            if (slot >= 0) {
                System.arraycopy(src, from, slabs[slot], offsets[slot] + in, n);
            }
            done += n;
        }
    }

    @Override
    public void readLongs(long phys, long[] dst, int offset, int count, ByteOrder order)
            throws PhysicalMemoryException {
        int length = Math.multiplyExact(count, Long.BYTES);
        if ((phys & (Long.BYTES - 1)) != 0) {
            PhysicalMemory.super.readLongs(phys, dst, offset, count, order);
            return;
        }
        check(phys, length);
        for (int done = 0; done < length; ) {
            long at = phys + done;
            int in = (int) (at & (PAGE - 1));
            int n = Math.min(length - done, PAGE - in);
            int to = offset + done / Long.BYTES;
            int slot = find(at >>> PAGE_SHIFT);
            if (slot < 0) {
                Arrays.fill(dst, to, to + n / Long.BYTES, 0L);
            } else {
                ByteBuffer.wrap(slabs[slot], offsets[slot] + in, n).order(order).asLongBuffer()
                        .get(dst, to, n / Long.BYTES);
            }
            done += n;
        }
    }

    @Override
    public void writeLongs(long phys, long[] src, int offset, int count, ByteOrder order)
            throws PhysicalMemoryException {
        int length = Math.multiplyExact(count, Long.BYTES);
        if ((phys & (Long.BYTES - 1)) != 0) {
            PhysicalMemory.super.writeLongs(phys, src, offset, count, order);
            return;
        }
        check(phys, length);
        for (int done = 0; done < length; ) {
            long at = phys + done;
            int in = (int) (at & (PAGE - 1));
            int n = Math.min(length - done, PAGE - in);
            int from = offset + done / Long.BYTES;
            int words = n / Long.BYTES;
            int slot = find(at >>> PAGE_SHIFT);
            if (slot < 0 && Arrays.mismatch(src, from, from + words, ZERO_LONGS, 0, words) >= 0) {
                slot = store(at >>> PAGE_SHIFT);
            }
            if (slot >= 0) {
                ByteBuffer.wrap(slabs[slot], offsets[slot] + in, n).order(order).asLongBuffer().put(src, from, words);
            }
            done += n;
        }
    }

    /** Within one 4 KiB page, the page itself (or the shared zero page); across pages, a copy. */
    @Override
    public ByteBuffer view(long phys, int length) throws PhysicalMemoryException {
        check(phys, length);
        int in = (int) (phys & (PAGE - 1));
        if (in + length > PAGE) {
            return PhysicalMemory.super.view(phys, length);
        }
        int slot = find(phys >>> PAGE_SHIFT);
        return slot < 0 ? ZEROS.slice(in, length) : ByteBuffer.wrap(slabs[slot], offsets[slot] + in, length).slice();
    }

    /** @return pages holding bytes: those written with anything but zeros */
    int storedPages() {
        return size;
    }

    /** @return bytes of page storage allocated, used or not */
    long slabBytes() {
        return slabBytes;
    }

    /** @return the page's slot, or -1 if it was never stored */
    private int find(long number) {
        int mask = keys.length - 1;
        for (int slot = hash(number, mask); slabs[slot] != null; slot = (slot + 1) & mask) {
            if (keys[slot] == number) {
                return slot;
            }
        }
        return -1;
    }

    /** Stores a zeroed page that {@link #find} does not know. @return its slot */
    private int store(long number) {
        if (2 * (size + 1) > keys.length) {
            rehash(keys.length * 2);
        }
        if (slabUsed == slab.length) {
            // doubling: what is allocated stays at most twice what is stored, and few arrays are made
            slab = new byte[Math.min(MAX_SLAB_PAGES, Math.max(1, size)) * PAGE];
            slabUsed = 0;
            slabBytes += slab.length;
        }
        int slot = insert(number, slab, slabUsed);
        slabUsed += PAGE;
        size++;
        return slot;
    }

    private int insert(long number, byte[] in, int offset) {
        int mask = keys.length - 1;
        int slot = hash(number, mask);
        while (slabs[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = number;
        slabs[slot] = in;
        offsets[slot] = offset;
        return slot;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        byte[][] oldSlabs = slabs;
        int[] oldOffsets = offsets;
        keys = new long[capacity];
        slabs = new byte[capacity][];
        offsets = new int[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldSlabs[i] != null) {
                insert(oldKeys[i], oldSlabs[i], oldOffsets[i]);
            }
        }
    }

    /** Fibonacci hashing: consecutive page numbers (the usual case) spread over the table. */
    private static int hash(long number, int mask) {
        long h = number * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void check(long phys, int length) throws PhysicalMemoryException {
        if (length < 0 || !isRam(phys, length)) {
            throw new PhysicalMemoryException(phys, length + " bytes here are not RAM", null);
        }
    }
}
