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
 * <p>Pages live in an open-addressing table keyed by page number (no boxing, no entry objects), and the
 * bulk paths ({@link #readLongs}, {@link #writeLongs}, {@link #view}) move a page's bytes with one copy or
 * none: a 32 MiB memory map is 8,192 lookups and 32 MiB of copying, not a byte array per page.
 */
final class SparsePhysicalMemory implements PhysicalMemory {
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    /** What unwritten pages read as; direct, so that {@code CRC32C.update(ByteBuffer)} reads it in place. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(PAGE).asReadOnlyBuffer();

    private final List<PhysRange> ram;
    /** Page numbers, parallel to {@link #pages}; a slot is free where its page is null. */
    private long[] keys = new long[64];
    private byte[][] pages = new byte[64][];
    private int size;

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
        forEachPage(phys, length, (number, in, done, n) -> {
            byte[] page = page(number);
            if (page == null) {
                Arrays.fill(dst, offset + done, offset + done + n, (byte) 0);
            } else {
                System.arraycopy(page, in, dst, offset + done, n);
            }
        });
    }

    @Override
    public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
        check(phys, length);
        forEachPage(phys, length, (number, in, done, n) ->
                System.arraycopy(src, offset + done, pageForWrite(number), in, n));
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
        forEachPage(phys, length, (number, in, done, n) -> {
            byte[] page = page(number);
            int to = offset + done / Long.BYTES;
            if (page == null) {
                Arrays.fill(dst, to, to + n / Long.BYTES, 0L);
            } else {
                ByteBuffer.wrap(page, in, n).order(order).asLongBuffer().get(dst, to, n / Long.BYTES);
            }
        });
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
        forEachPage(phys, length, (number, in, done, n) -> ByteBuffer.wrap(pageForWrite(number), in, n).order(order)
                .asLongBuffer().put(src, offset + done / Long.BYTES, n / Long.BYTES));
    }

    /** Within one 4 KiB page, the page itself (or the shared zero page); across pages, a copy. */
    @Override
    public ByteBuffer view(long phys, int length) throws PhysicalMemoryException {
        check(phys, length);
        int in = (int) (phys & (PAGE - 1));
        if (in + length > PAGE) {
            return PhysicalMemory.super.view(phys, length);
        }
        byte[] page = page(phys >>> PAGE_SHIFT);
        return page == null ? ZEROS.slice(in, length) : ByteBuffer.wrap(page, in, length).slice();
    }

    /** One piece of an access: {@code n} bytes at offset {@code in} of page {@code number}, {@code done} bytes in. */
    @FunctionalInterface
    private interface PagePiece {
        void accept(long number, int in, int done, int n);
    }

    /** Splits {@code [phys, phys + length)} at 4 KiB page boundaries. */
    private static void forEachPage(long phys, int length, PagePiece piece) {
        for (int done = 0; done < length; ) {
            long at = phys + done;
            int in = (int) (at & (PAGE - 1));
            int n = Math.min(length - done, PAGE - in);
            piece.accept(at >>> PAGE_SHIFT, in, done, n);
            done += n;
        }
    }

    private byte[] page(long number) {
        int mask = keys.length - 1;
        for (int slot = hash(number, mask); pages[slot] != null; slot = (slot + 1) & mask) {
            if (keys[slot] == number) {
                return pages[slot];
            }
        }
        return null;
    }

    private byte[] pageForWrite(long number) {
        byte[] page = page(number);
        if (page == null) {
            page = new byte[PAGE];
            if (2 * (size + 1) > keys.length) {
                rehash(keys.length * 2);
            }
            insert(number, page);
            size++;
        }
        return page;
    }

    private void insert(long number, byte[] page) {
        int mask = keys.length - 1;
        int slot = hash(number, mask);
        while (pages[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = number;
        pages[slot] = page;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        byte[][] oldPages = pages;
        keys = new long[capacity];
        pages = new byte[capacity][];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldPages[i] != null) {
                insert(oldKeys[i], oldPages[i]);
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
