package io.kho4j.preserve;

import static io.kho4j.preserve.OrderWindows.WINDOW_BITS_LOG2;
import static io.kho4j.preserve.OrderWindows.WINDOW_WORDS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * An immutable set of non-overlapping preserved blocks ({@code phys}, {@code order}) for one page size: what
 * the kernel tracks with per-order bitmaps (6.16 – 7.0) or a radix tree (7.1+) and hands to its successor
 * (kho-abi.md §2).
 *
 * <p>Blocks are held per order as bitmap windows, so memory is proportional to the bitmaps a kernel would
 * write, never to RAM size, and the codecs copy whole words. {@link #forEachBlock} yields blocks sorted by
 * address, the order of the DESIGN.md §4 "preserved blocks" text format.
 */
public final class PreservedMemoryMap {
    private final PageSize pageSize;
    /** Index = order; null where the order has no block. */
    private final OrderWindows[] byOrder;
    /** Counted on first use: a decode of 1 TiB of pages need not scan its 32 MiB of words twice. */
    private volatile long blockCount = -1;

    PreservedMemoryMap(PageSize pageSize, OrderWindows[] byOrder) {
        this.pageSize = pageSize;
        this.byOrder = byOrder;
    }

    /** @param pageSize page size @return a builder */
    public static Builder builder(PageSize pageSize) {
        return new Builder(pageSize);
    }

    /** @param pageSize page size @return the map with no blocks */
    public static PreservedMemoryMap empty(PageSize pageSize) {
        return new PreservedMemoryMap(pageSize, new OrderWindows[pageSize.maxOrder() + 1]);
    }

    /**
     * @param pageSize page size
     * @param blocks blocks in any order
     * @return the map
     * @throws IllegalArgumentException if a block is misaligned or two blocks overlap
     */
    public static PreservedMemoryMap of(PageSize pageSize, Collection<PreservedBlock> blocks) {
        Builder b = builder(pageSize);
        for (PreservedBlock block : blocks) {
            b.addBlock(block);
        }
        return b.build();
    }

    /** @return the page size the orders refer to */
    public PageSize pageSize() {
        return pageSize;
    }

    /** @return the number of blocks */
    public long blockCount() {
        long n = blockCount;
        if (n < 0) {
            n = 0;
            for (OrderWindows w : byOrder) {
                n += w == null ? 0 : w.bitCount();
            }
            blockCount = n;
        }
        return n;
    }

    /** @return whether there is no block */
    public boolean isEmpty() {
        for (OrderWindows w : byOrder) {
            if (w != null) {
                return false;
            }
        }
        return true;
    }

    /** @param order an order @return the number of blocks of that order */
    public long blockCount(int order) {
        pageSize.checkOrder(order);
        return byOrder[order] == null ? 0 : byOrder[order].bitCount();
    }

    /** @return the orders that have at least one block, ascending */
    public int[] orders() {
        return IntStream.range(0, byOrder.length).filter(o -> byOrder[o] != null).toArray();
    }

    /** @return the total bytes preserved */
    public long preservedBytes() {
        long total = 0;
        for (int o = 0; o < byOrder.length; o++) {
            if (byOrder[o] != null) {
                total += byOrder[o].bitCount() << (pageSize.shift() + o);
            }
        }
        return total;
    }

    /**
     * Visits every block in ascending address order without allocating per block.
     *
     * @param sink receives each block
     */
    public void forEachBlock(PageOrder.BlockSink sink) {
        int[] orders = orders();
        int n = orders.length;
        int[] window = new int[n];
        int[] word = new int[n];
        long[] bits = new long[n];
        long[] next = new long[n];
        for (int k = 0; k < n; k++) {
            word[k] = -1;
            next[k] = advance(orders[k], window, word, bits, k);
        }
        while (true) {
            int best = -1;
            for (int k = 0; k < n; k++) {
                if (next[k] >= 0 && (best < 0 || next[k] < next[best])) {
                    best = k;
                }
            }
            if (best < 0) {
                return;
            }
            sink.accept(next[best], orders[best]);
            next[best] = advance(orders[best], window, word, bits, best);
        }
    }

    /** Moves cursor {@code k} of order {@code order} to its next block; returns its address or -1. */
    private long advance(int order, int[] window, int[] word, long[] bits, int k) {
        OrderWindows w = byOrder[order];
        while (bits[k] == 0) {
            if (++word[k] == WINDOW_WORDS) {
                word[k] = 0;
                window[k]++;
            }
            if (window[k] >= w.count()) {
                return -1;
            }
            bits[k] = w.words[window[k] * WINDOW_WORDS + word[k]];
        }
        int bit = Long.numberOfTrailingZeros(bits[k]);
        bits[k] &= bits[k] - 1;
        long index = (w.keys[window[k]] << WINDOW_BITS_LOG2) + word[k] * 64L + bit;
        return index << (pageSize.shift() + order);
    }

    /** @return all blocks in ascending address order (one object per block: for small maps and tests) */
    public List<PreservedBlock> blocks() {
        List<PreservedBlock> out = new ArrayList<>((int) Math.min(blockCount(), Integer.MAX_VALUE - 8));
        forEachBlock((phys, order) -> out.add(new PreservedBlock(phys, order)));
        return out;
    }

    /**
     * @param range a range
     * @return the lowest-addressed block sharing at least one byte with the range, if any
     */
    public Optional<PreservedBlock> firstIntersecting(PhysRange range) {
        PreservedBlock best = null;
        for (int o = 0; o < byOrder.length; o++) {
            OrderWindows w = byOrder[o];
            int shift = pageSize.shift() + o;
            if (w == null || range.start() >>> shift >= 1L << (PageSize.MAX_PHYS_BITS - shift)) {
                continue;
            }
            long last = Math.min((range.end() - 1) >>> shift, (1L << (PageSize.MAX_PHYS_BITS - shift)) - 1);
            long index = w.firstSetIndex(range.start() >>> shift, last);
            if (index >= 0 && (best == null || index << shift < best.phys())) {
                best = new PreservedBlock(index << shift, o);
            }
        }
        return Optional.ofNullable(best);
    }

    /** @param block a block @return whether exactly this block (same address and order) is in the map */
    public boolean contains(PreservedBlock block) {
        if (block.order() > pageSize.maxOrder() || byOrder[block.order()] == null) {
            return false;
        }
        int shift = pageSize.shift() + block.order();
        if ((block.phys() & ((1L << shift) - 1)) != 0) {
            return false;
        }
        long index = block.phys() >>> shift;
        return byOrder[block.order()].firstSetIndex(index, index) == index;
    }

    /** @param order an order @return its windows, or null: for the codecs */
    OrderWindows windows(int order) {
        return byOrder[order];
    }

    /**
     * @return {@code {lowPhys, lowOrder, highPhys, highOrder}} for two blocks of different orders that overlap,
     *     or null
     */
    static long[] findOverlap(OrderWindows[] byOrder, PageSize pageSize) {
        for (int low = 0; low < byOrder.length; low++) {
            for (int high = low + 1; byOrder[low] != null && high < byOrder.length; high++) {
                if (byOrder[high] != null) {
                    long[] hit = OrderWindows.findOverlap(byOrder[low], byOrder[high], high - low);
                    if (hit != null) {
                        return new long[] {hit[0] << (pageSize.shift() + low), low,
                            hit[1] << (pageSize.shift() + high), high};
                    }
                }
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreservedMemoryMap m && m.pageSize == pageSize && Arrays.equals(byOrder, m.byOrder);
    }

    @Override
    public int hashCode() {
        return 31 * pageSize.hashCode() + Arrays.hashCode(byOrder);
    }

    @Override
    public String toString() {
        return "PreservedMemoryMap[" + pageSize + ", " + blockCount() + " blocks, " + preservedBytes() + " bytes]";
    }

    /**
     * Collects blocks. Blocks of one order must not repeat or overlap; overlaps between orders are found by
     * {@link #build()}. A builder builds once: the map takes over its arrays. Not thread-safe.
     */
    public static final class Builder {
        private final PageSize pageSize;
        private final WindowAccumulator[] byOrder;
        private long[] nodeBoundaries = new long[0];
        private boolean finished;

        private Builder(PageSize pageSize) {
            this.pageSize = pageSize;
            this.byOrder = new WindowAccumulator[pageSize.maxOrder() + 1];
        }

        /**
         * Makes later {@link #addRange} and {@link #addFolio} calls keep every block inside one NUMA node, as
         * 7.1+ kernels do (kho-abi.md §9.5).
         *
         * @param boundaries ascending page-aligned addresses at which a new node begins
         * @return this
         */
        public Builder nodeBoundaries(long... boundaries) {
            PageOrder.checkBoundaries(boundaries, pageSize);
            this.nodeBoundaries = boundaries.clone();
            return this;
        }

        /**
         * Preserves a page-aligned range split into maximal naturally aligned blocks, as {@code
         * kho_preserve_pages} does ({@link PageOrder#split}).
         *
         * @param range page-aligned range below 2^52
         * @return this
         * @throws IllegalArgumentException if misaligned or if a block is already preserved
         */
        public Builder addRange(PhysRange range) {
            PageOrder.split(range, pageSize, nodeBoundaries, this::addBlock);
            return this;
        }

        /**
         * Preserves one block as {@code kho_preserve_folio} does.
         *
         * @param phys address aligned to {@code PAGE_SIZE << order}
         * @param order block order
         * @return this
         * @throws IllegalArgumentException if misaligned, spanning a node boundary, or already preserved
         */
        public Builder addFolio(long phys, int order) {
            PageOrder.checkFolio(phys, order, pageSize, nodeBoundaries);
            return addBlock(phys, order);
        }

        /** @param block a block @return this @throws IllegalArgumentException as {@link #addBlock(long, int)} */
        public Builder addBlock(PreservedBlock block) {
            return addBlock(block.phys(), block.order());
        }

        /**
         * Adds one block as found in a kernel map, without the node rule.
         *
         * @param phys address aligned to {@code PAGE_SIZE << order}
         * @param order block order
         * @return this
         * @throws IllegalArgumentException if misaligned or already present
         */
        public Builder addBlock(long phys, int order) {
            PageOrder.checkFolio(phys, order, pageSize, new long[0]);
            if (!accumulator(order).set(phys >>> (pageSize.shift() + order))) {
                throw new IllegalArgumentException(String.format("block 0x%x order %d added twice", phys, order));
            }
            return this;
        }

        /**
         * Adds every block of one order in a range: e.g. all 4 KiB pages of 1 TiB, or a guest's memory in
         * 2 MiB folios. Runs word by word.
         *
         * @param range range aligned to {@code PAGE_SIZE << order}
         * @param order block order
         * @return this
         * @throws IllegalArgumentException if misaligned or if a block is already present
         */
        public Builder addBlocks(PhysRange range, int order) {
            long size = pageSize.blockBytes(order);
            if (!range.isAligned(size) || range.end() > 1L << PageSize.MAX_PHYS_BITS) {
                throw new IllegalArgumentException(
                        "range " + range + " is not aligned to order " + order + " blocks below 2^52");
            }
            int shift = pageSize.shift() + order;
            long collision = accumulator(order).setRange(range.start() >>> shift, range.end() >>> shift);
            if (collision >= 0) {
                throw new IllegalArgumentException(
                        String.format("block 0x%x order %d added twice", collision << shift, order));
            }
            return this;
        }

        /**
         * @return the map
         * @throws IllegalArgumentException if blocks of different orders overlap
         * @throws IllegalStateException if called twice
         */
        public PreservedMemoryMap build() {
            OrderWindows[] windows = finish();
            long[] overlap = findOverlap(windows, pageSize);
            if (overlap != null) {
                throw new IllegalArgumentException(String.format("block 0x%x order %d overlaps block 0x%x order %d",
                        overlap[0], overlap[1], overlap[2], overlap[3]));
            }
            return new PreservedMemoryMap(pageSize, windows);
        }

        /** @return the page size */
        PageSize pageSize() {
            return pageSize;
        }

        /** ORs one window of an order; returns the first block index already present, or -1. */
        long orWindow(int order, long key, long[] words, int offset) {
            return accumulator(order).or(key, words, offset);
        }

        /** @return the collected windows per order, sorted, before the cross-order overlap check */
        OrderWindows[] finish() {
            checkOpen();
            finished = true;
            OrderWindows[] out = new OrderWindows[byOrder.length];
            for (int o = 0; o < byOrder.length; o++) {
                out[o] = byOrder[o] == null ? null : byOrder[o].finish();
            }
            return out;
        }

        private void checkOpen() {
            if (finished) {
                throw new IllegalStateException("this builder has already built its map");
            }
        }

        /** @return the accumulator of {@code order}, created empty: for the decoders' bulk path */
        WindowAccumulator accumulator(int order) {
            checkOpen();
            pageSize.checkOrder(order);
            if (byOrder[order] == null) {
                byOrder[order] = new WindowAccumulator();
            }
            return byOrder[order];
        }
    }
}
