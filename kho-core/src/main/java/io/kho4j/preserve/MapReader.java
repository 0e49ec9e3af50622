package io.kho4j.preserve;

import static io.kho4j.preserve.OrderWindows.WINDOW_BITS_LOG2;
import static io.kho4j.preserve.OrderWindows.WINDOW_WORDS;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.MemoryMapFormatException.Kind;
import java.nio.ByteOrder;

/**
 * The checks and bookkeeping both decoders share: pointer validation before every read, bulk reads of
 * bitmap words, and adding bitmap windows to the map with RAM and overlap checks. One per decode call.
 */
final class MapReader {
    private final PhysicalMemory memory;
    private final PageSize pageSize;
    private final PreservedMemoryMap.Builder builder;
    private final ByteOrder order;
    /**
     * Bitmap words that cannot go straight into the map (windows out of order): ORed in from here. Made on
     * first use: kernels write bitmaps in order, and a page of zeros per decode (64 KiB with 64 KiB pages)
     * would cost a small map more than its bitmaps.
     */
    private long[] scratch;

    MapReader(PhysicalMemory memory, PageSize pageSize, ByteOrder order) {
        this.memory = memory;
        this.pageSize = pageSize;
        this.builder = PreservedMemoryMap.builder(pageSize);
        this.order = order;
    }

    private long[] scratch() {
        if (scratch == null) {
            scratch = new long[pageSize.bytes() / 8];
        }
        return scratch;
    }

    /**
     * Pre-sizes the map's windows of one order from the count a map's headers claim, capped by the windows of
     * that order that RAM can hold: a hostile count cannot make the decoder allocate more than a map of RAM
     * could need, and an honest one spares the decode growing its arrays by doubling.
     *
     * @param order block order
     * @param claimedWindows windows the headers' counts add up to
     */
    void presize(int order, long claimedWindows) {
        // A bitmap is reserved whole even where its tail lies beyond RAM: room for one page of bitmap more.
        long windows = Math.min(claimedWindows, ramWindows(order) + pageSize.bytes() / (WINDOW_WORDS * 8));
        if (windows > 0) {
            builder.accumulator(order).presize(windows);
        }
    }

    /** @return the 4096-block windows of {@code order} that hold at least one block inside RAM */
    long ramWindows(int order) {
        int shift = pageSize.shift() + order + WINDOW_BITS_LOG2;
        long n = 0;
        for (PhysRange r : memory.ram()) {
            if (r.size() > 0) {
                n += ((r.end() - 1) >>> shift) - (r.start() >>> shift) + 1;
            }
        }
        return n;
    }

    /** @return windows of {@code order} the decode has room for without growing: for the pre-sizing tests */
    int capacity(int order) {
        return builder.accumulator(order).capacity();
    }

    /**
     * Checks a pointer before it is followed.
     *
     * @param pointer the value read
     * @param length bytes the structure there has; also its required alignment
     * @param what what it should point at, for the message
     * @param from address the pointer was read from, or -1 for the root property
     */
    void checkPointer(long pointer, int length, String what, long from) throws MemoryMapFormatException {
        if ((pointer & (length - 1)) != 0) {
            throw new MemoryMapFormatException(Kind.UNALIGNED_POINTER, pointer,
                    String.format("%s points at a %s that is not %d-byte aligned", source(from), what, length));
        }
        if (!memory.isRam(pointer, length)) {
            throw new MemoryMapFormatException(Kind.POINTER_OUTSIDE_RAM, pointer, String.format(
                    "%s points at a %s of %d bytes outside RAM %s", source(from), what, length, memory.ram()));
        }
    }

    private static String source(long from) {
        return from < 0 ? "the preserved-memory-map property" : String.format("the pointer at 0x%x", from);
    }

    /** Reads {@code length} bytes as words into {@code words[offset .. offset + length/8)}. */
    void readWords(long phys, int length, long[] words, int offset) throws MemoryMapFormatException {
        try {
            memory.readLongs(phys, words, offset, length / 8, order);
        } catch (PhysicalMemoryException e) {
            throw new MemoryMapFormatException(Kind.READ_FAILED, phys, "cannot read " + length + " bytes: "
                    + e.getMessage(), e);
        }
    }

    /** Reads {@code length} bytes as words into {@code words[0 .. length/8)}. */
    void readWords(long phys, int length, long[] words) throws MemoryMapFormatException {
        readWords(phys, length, words, 0);
    }

    /**
     * Reads a bitmap of whole windows of one order and adds its blocks. When its windows come after the
     * order's last one (every kernel writes them so), the words go straight from memory into the map, with no
     * copy in between and no OR; otherwise they are ORed in with the overlap check.
     *
     * @param order block order
     * @param firstKey window index of the bitmap's first bit
     * @param windows whole 4096-bit windows in the bitmap
     * @param bitmapPhys where the bitmap lies
     */
    void readBitmap(int order, long firstKey, int windows, long bitmapPhys) throws MemoryMapFormatException {
        int length = windows * WINDOW_WORDS * 8;
        WindowAccumulator windowsOfOrder = builder.accumulator(order);
        int base = windowsOfOrder.reserve(firstKey, windows);
        if (base < 0) {
            long[] scratch = scratch();
            readWords(bitmapPhys, length, scratch);
            addBitmap(order, firstKey, scratch, 0, windows, bitmapPhys);
            return;
        }
        long[] words = windowsOfOrder.words();
        readWords(bitmapPhys, length, words, base);
        int before = windowsOfOrder.count();
        // One pass keeps the non-empty windows and notes the lowest set block for the RAM check below.
        long low = -1;
        for (int w = 0; w < windows; w++) {
            int at = base + w * WINDOW_WORDS;
            int first = firstNonZero(words, at);
            if (first >= 0) {
                if (low < 0) {
                    low = lowestBlock(firstKey + w, words, at, first);
                }
                windowsOfOrder.append(firstKey + w, at);
            }
        }
        windowsOfOrder.release(base + windows * WINDOW_WORDS);
        int after = windowsOfOrder.count();
        // One RAM check for the bitmap's whole span of blocks; block by block only if that fails.
        if (after > before
                && !spanInRam(order, low, words, windowsOfOrder.key(after - 1), (after - 1) * WINDOW_WORDS)) {
            for (int slot = before; slot < after; slot++) {
                long key = windowsOfOrder.key(slot);
                checkWindowInRam(order, key, words, slot * WINDOW_WORDS,
                        bitmapPhys + (key - firstKey) * (WINDOW_WORDS * 8L));
            }
        }
    }

    /**
     * Adds the blocks of a bitmap.
     *
     * @param order block order
     * @param firstKey window index of the bitmap's first bit
     * @param words holds the bitmap
     * @param offset index of the bitmap's first word in {@code words}
     * @param windows whole 4096-bit windows in the bitmap
     * @param bitmapPhys where the bitmap lies in memory, for messages
     */
    void addBitmap(int order, long firstKey, long[] words, int offset, int windows, long bitmapPhys)
            throws MemoryMapFormatException {
        for (int w = 0; w < windows; w++) {
            int at = offset + w * WINDOW_WORDS;
            if (firstNonZero(words, at) >= 0) {
                addWindow(order, firstKey + w, words, at, bitmapPhys + w * (WINDOW_WORDS * 8L));
            }
        }
    }

    private void addWindow(int order, long key, long[] words, int offset, long windowPhys)
            throws MemoryMapFormatException {
        checkWindowInRam(order, key, words, offset, windowPhys);
        long collision = builder.orWindow(order, key, words, offset);
        if (collision >= 0) {
            throw new MemoryMapFormatException(Kind.OVERLAP, collision << (pageSize.shift() + order), String.format(
                    "the order-%d block is described twice (again by the bitmap at 0x%x)", order, windowPhys));
        }
    }

    /** Checks that every block of a non-empty window lies in RAM below 2^52; the message names the first that does not. */
    private void checkWindowInRam(int order, long key, long[] words, int offset, long windowPhys)
            throws MemoryMapFormatException {
        int first = firstNonZero(words, offset);
        if (!spanInRam(order, lowestBlock(key, words, offset, first), words, key, offset)) {
            int shift = pageSize.shift() + order;
            checkEachBlockInRam(shift, 1L << (PageSize.MAX_PHYS_BITS - shift), key << WINDOW_BITS_LOG2, words,
                    offset, windowPhys);
        }
    }

    /** @return the index of the lowest block set in the window, whose first non-zero word is {@code first} */
    private static long lowestBlock(long key, long[] words, int offset, int first) {
        return (key << WINDOW_BITS_LOG2) + first * 64L + Long.numberOfTrailingZeros(words[offset + first]);
    }

    /**
     * @param low the lowest set block index
     * @param lastKey key of the non-empty window holding the highest set block
     * @param lastOffset index of that window's first word in {@code words}
     * @return whether the blocks from {@code low} to the last set bit of that window lie below 2^52 and inside
     *     one RAM range
     */
    private boolean spanInRam(int order, long low, long[] words, long lastKey, int lastOffset) {
        int shift = pageSize.shift() + order;
        long limit = 1L << (PageSize.MAX_PHYS_BITS - shift);
        int lastWord = WINDOW_WORDS - 1;
        while (words[lastOffset + lastWord] == 0) {
            lastWord--;
        }
        long high = (lastKey << WINDOW_BITS_LOG2) + lastWord * 64L + 63
                - Long.numberOfLeadingZeros(words[lastOffset + lastWord]);
        return high < limit && memory.isRam(low << shift, (high + 1 - low) << shift);
    }

    private void checkEachBlockInRam(int shift, long limit, long base, long[] words, int offset, long windowPhys)
            throws MemoryMapFormatException {
        for (int j = 0; j < WINDOW_WORDS; j++) {
            for (long w = words[offset + j]; w != 0; w &= w - 1) {
                long index = base + j * 64L + Long.numberOfTrailingZeros(w);
                if (index >= limit) {
                    throw new MemoryMapFormatException(Kind.BLOCK_OUTSIDE_RAM, windowPhys + j * 8L, String.format(
                            "a bit in the bitmap word here describes a block at or above 2^%d", PageSize.MAX_PHYS_BITS));
                }
                if (!memory.isRam(index << shift, 1L << shift)) {
                    throw new MemoryMapFormatException(Kind.BLOCK_OUTSIDE_RAM, index << shift, String.format(
                            "preserved block of %d bytes (bitmap word at 0x%x) is not inside RAM %s", 1L << shift,
                            windowPhys + j * 8L, memory.ram()));
                }
            }
        }
    }

    /** @return the map, after checking that no blocks of different orders overlap */
    PreservedMemoryMap finish() throws MemoryMapFormatException {
        OrderWindows[] windows = builder.finish();
        long[] overlap = PreservedMemoryMap.findOverlap(windows, pageSize);
        if (overlap != null) {
            throw new MemoryMapFormatException(Kind.OVERLAP, overlap[0], String.format(
                    "the order-%d block lies inside the order-%d block at 0x%x", overlap[1], overlap[3], overlap[2]));
        }
        return new PreservedMemoryMap(pageSize, windows);
    }

    static int firstNonZero(long[] words, int offset) {
        for (int j = 0; j < WINDOW_WORDS; j++) {
            if (words[offset + j] != 0) {
                return j;
            }
        }
        return -1;
    }
}
