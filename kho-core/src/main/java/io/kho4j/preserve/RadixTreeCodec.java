package io.kho4j.preserve;

import static io.kho4j.preserve.OrderWindows.WINDOW_BITS_LOG2;
import static io.kho4j.preserve.OrderWindows.WINDOW_WORDS;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.MemoryMapFormatException.Kind;
import java.util.Arrays;

/**
 * The 7.1+ radix tree (kho-abi.md §2, §9.3): tables of {@code PAGE_SIZE / 8} u64 physical addresses (0 =
 * absent) from level {@code depth - 1} down to level 1, whose entries point at leaf bitmaps of {@code
 * PAGE_SIZE * 8} bits indexed by the low bits of the key {@code 1 << (ORDER_0_LOG2 - order) | phys >>
 * (PAGE_SHIFT + order)}.
 *
 * <p>Keys are visited in ascending order, which is all orders from the largest down (a larger order has a
 * lower marker bit) and addresses ascending within each; pages are allocated in pre-order (root first) and
 * each is written once, when its subtree is complete. The kernel allocates the root at boot, so an empty map
 * is a root page of zeros, never 0.
 */
final class RadixTreeCodec implements MemoryMapCodec {
    /** Table words read and scanned at a time: a 4 KiB piece, whatever the page size. */
    private static final int TABLE_PIECE_WORDS = 512;

    private final MemoryMapCodecConfig config;
    private final PageSize pageSize;
    private final RadixGeometry geometry;
    private final int entries;
    /** log2 of the 4096-bit windows in one leaf. */
    private final int leafWindowsLog2;

    RadixTreeCodec(MemoryMapCodecConfig config) {
        this.config = config;
        this.pageSize = config.pageSize();
        this.geometry = RadixGeometry.of(pageSize, config.format() == MemoryMapFormat.RADIX_16K_PREFIX
                ? RadixGeometry.DepthFormula.PRE_FIX : RadixGeometry.DepthFormula.POST_FIX);
        this.entries = 1 << geometry.tableSizeLog2();
        this.leafWindowsLog2 = geometry.bitmapSizeLog2() - WINDOW_BITS_LOG2;
    }

    @Override
    public MemoryMapCodecConfig config() {
        return config;
    }

    /** @return whether this codec differs from the fixed layout: pre-fix formula with 16 KiB pages */
    private boolean isLossyPreFix() {
        return geometry.depth() != RadixGeometry.of(pageSize, RadixGeometry.DepthFormula.POST_FIX).depth();
    }

    /** Window index of the key of block-window {@code window} of {@code order}: the marker bit over the index. */
    private long keyWindow(int order, long window) {
        return (1L << (geometry.orderZeroLog2() - order - WINDOW_BITS_LOG2)) | window;
    }

    @Override
    public long pagesNeeded(PreservedMemoryMap map) {
        checkPageSize(map);
        int top = geometry.depth() - 1;
        long pages = 1;
        long[] current = new long[top + 1];
        Arrays.fill(current, -1);
        int[] orders = map.orders();
        for (int k = orders.length - 1; k >= 0; k--) {
            OrderWindows w = map.windows(orders[k]);
            for (int i = 0; i < w.count(); i++) {
                long key = keyWindow(orders[k], w.keys[i]) << WINDOW_BITS_LOG2;
                for (int level = 0; level < top; level++) {
                    long id = key >>> (level == 0 ? geometry.bitmapSizeLog2() : geometry.indexShift(level + 1));
                    if (id != current[level]) {
                        current[level] = id;
                        pages++;
                    }
                }
            }
        }
        return pages;
    }

    @Override
    public long encode(PreservedMemoryMap map, PhysicalMemory memory, PageAllocator allocator)
            throws PhysicalMemoryException, MemoryMapFormatException {
        checkPageSize(map);
        checkRefused(0);
        if (isLossyPreFix() && map.windows(0) != null) {
            long phys = map.windows(0).firstSetIndex(0, Long.MAX_VALUE) << pageSize.shift();
            throw new MemoryMapFormatException(Kind.UNREPRESENTABLE, phys, "a pre-fix 16 KiB radix tree ("
                    + geometry.depth() + " levels) drops the order bit of order-0 keys; the successor would lose "
                    + "this block (kho-abi.md §9.3)");
        }
        TreeBuilder t = new TreeBuilder(new MapWriter(map, memory, allocator, config.byteOrder()));
        int[] orders = map.orders();
        for (int k = orders.length - 1; k >= 0; k--) {
            OrderWindows w = map.windows(orders[k]);
            int leafWindows = 1 << leafWindowsLog2;
            for (int i = 0; i < w.count(); ) {
                long keyWindow = keyWindow(orders[k], w.keys[i]);
                int last = i + leafWindows - 1;
                if ((keyWindow & (leafWindows - 1)) == 0 && last < w.count()
                        && w.keys[last] == w.keys[i] + leafWindows - 1) {
                    // Keys are unique and ascending: the leaf's windows all lie in the map in a row.
                    t.addLeaf(keyWindow, w.words, i * WINDOW_WORDS);
                    i += leafWindows;
                } else {
                    t.add(keyWindow, w.words, i * WINDOW_WORDS);
                    i++;
                }
            }
        }
        return t.finish();
    }

    /** Holds the open path from the root to the current leaf; a level is written when the path leaves it. */
    private final class TreeBuilder {
        private final MapWriter writer;
        private final int top = geometry.depth() - 1;
        /** tables[level] for levels 1..top; tables[0] is the leaf bitmap, for leaves of a few windows. */
        private final PartialPage[] pages = new PartialPage[top + 1];
        private final long[] phys = new long[top + 1];
        private final long[] id = new long[top + 1];
        private final long root;

        TreeBuilder(MapWriter writer) throws PhysicalMemoryException {
            this.writer = writer;
            this.root = writer.allocate();
            for (int level = 0; level <= top; level++) {
                pages[level] = new PartialPage(entries);
            }
            Arrays.fill(phys, -1);
            Arrays.fill(id, -1);
            phys[top] = root;
            id[top] = 0;
        }

        private long idAt(long key, int level) {
            return level == 0 ? key >>> geometry.bitmapSizeLog2() : key >>> geometry.indexShift(level + 1);
        }

        /** Adds one window to the current leaf. */
        void add(long keyWindow, long[] words, int offset) throws PhysicalMemoryException {
            open(keyWindow);
            int window = (int) (keyWindow & ((1L << leafWindowsLog2) - 1));
            pages[0].set(window * WINDOW_WORDS, words, offset, WINDOW_WORDS);
        }

        /** Writes a whole leaf, the windows from {@code keyWindow} on, straight from {@code words[offset ..]}. */
        void addLeaf(long keyWindow, long[] words, int offset) throws PhysicalMemoryException {
            open(keyWindow);
            writer.writePage(phys[0], words, offset);
            phys[0] = -1;
        }

        /** Makes the path to the leaf of {@code keyWindow} current: writes the pages it leaves, allocates new. */
        private void open(long keyWindow) throws PhysicalMemoryException {
            long key = keyWindow << WINDOW_BITS_LOG2;
            int changed = -1;
            for (int level = top - 1; level >= 0; level--) {
                if (idAt(key, level) != id[level]) {
                    changed = level;
                    break;
                }
            }
            if (changed >= 0) {
                for (int level = 0; level <= changed; level++) {
                    flush(level);
                }
                for (int level = changed; level >= 0; level--) {
                    long page = writer.allocate();
                    pages[level + 1].set(geometry.tableIndex(key, level + 1), page);
                    phys[level] = page;
                    id[level] = idAt(key, level);
                    pages[level].clear();
                }
            }
        }

        private void flush(int level) throws PhysicalMemoryException {
            if (phys[level] >= 0) {
                pages[level].write(writer, phys[level]);
                phys[level] = -1;
            }
        }

        long finish() throws PhysicalMemoryException {
            for (int level = 0; level <= top; level++) {
                flush(level);
            }
            return root;
        }
    }

    @Override
    public PreservedMemoryMap decode(PhysicalMemory memory, long root, MapPageVisitor visitor)
            throws MemoryMapFormatException {
        checkRefused(root);
        if (root == 0) {
            throw new MemoryMapFormatException(Kind.NULL_ROOT, 0,
                    "a radix-tree preserved-memory-map of 0 is rejected by 7.1+ kernels (kho_mem_retrieve)");
        }
        MapReader reader = new MapReader(memory, pageSize, config.byteOrder());
        reader.checkPointer(root, pageSize.bytes(), "kho_radix_node root", -1);
        int top = geometry.depth() - 1;
        // Every tree page read, tagged with its level: one set, sized by the pages read.
        PageSet seen = new PageSet(pageSize);
        seen.add(root, top);
        TableEntries[] tables = new TableEntries[top + 1];
        long[] piece = new long[Math.min(entries, TABLE_PIECE_WORDS)];
        // {key, phys} of each leaf, in key order, read after the walk so that the windows can be pre-sized;
        // each is a distinct RAM page (markSeen), so the list is bounded by the table entries read.
        long[] leaves = new long[64];
        int leafCount = 0;
        for (int level = 1; level <= top; level++) {
            tables[level] = new TableEntries();
        }
        tables[top].read(reader, root, 0, piece);
        visitor.visit(root, pageSize.bytes(), MapPageVisitor.Kind.RADIX_TABLE);
        int level = top;
        while (level <= top) {
            TableEntries table = tables[level];
            if (table.position == table.count) {
                level++;
                continue;
            }
            int i = table.index[table.position];
            long child = table.child[table.position++];
            long entry = table.phys + 8L * i;
            long key = table.prefix | ((long) i << geometry.indexShift(level));
            if (geometry.orderOf(key) < 0) {
                throw new MemoryMapFormatException(Kind.INVALID_KEY, entry, String.format(
                        "every key under this level-%d entry (0x%x...) lies above the order-0 marker bit %d",
                        level, key, geometry.orderZeroLog2()));
            }
            reader.checkPointer(child, pageSize.bytes(), level == 1 ? "kho_radix_leaf" : "kho_radix_node", entry);
            markSeen(seen, level - 1, child, entry);
            if (level == 1) {
                if (2 * leafCount == leaves.length) {
                    leaves = Arrays.copyOf(leaves, 2 * leaves.length);
                }
                leaves[2 * leafCount] = key;
                leaves[2 * leafCount + 1] = child;
                leafCount++;
            } else {
                level--;
                tables[level].read(reader, child, key, piece);
                visitor.visit(child, pageSize.bytes(), MapPageVisitor.Kind.RADIX_TABLE);
            }
        }
        presize(reader, leaves, leafCount);
        long[] leaf = null;
        for (int k = 0; k < leafCount; k++) {
            long key = leaves[2 * k];
            long child = leaves[2 * k + 1];
            visitor.visit(child, pageSize.bytes(), MapPageVisitor.Kind.RADIX_LEAF);
            int order = leafOrder(key);
            if (order >= 0) {
                long keyWindow = key >>> WINDOW_BITS_LOG2;
                reader.readBitmap(order, keyWindow ^ Long.highestOneBit(keyWindow), 1 << leafWindowsLog2, child);
            } else {
                if (leaf == null) {
                    leaf = new long[pageSize.bytes() / 8];
                }
                reader.readWords(child, pageSize.bytes(), leaf);
                addLeaf(reader, key, leaf, child);
            }
        }
        return reader.finish();
    }

    /**
     * The non-zero entries of the table the walk is in at one level. Tables are mostly empty (a small map has a
     * handful of entries in 512 to 8192), so the walk keeps only these, not the page, and finds them with one
     * scan over words read in bulk; memory is bounded by the entries of the tables read.
     */
    private final class TableEntries {
        int[] index = new int[16];
        long[] child = new long[16];
        int count;
        int position;
        /** The table's address and the key bits of the entry that led to it. */
        long phys;
        long prefix;

        void read(MapReader reader, long tablePhys, long tablePrefix, long[] piece) throws MemoryMapFormatException {
            phys = tablePhys;
            prefix = tablePrefix;
            count = 0;
            position = 0;
            for (int from = 0; from < entries; from += piece.length) {
                reader.readWords(tablePhys + 8L * from, piece.length * 8, piece);
                for (int j = 0; j < piece.length; j++) {
                    if (piece[j] != 0) {
                        add(from + j, piece[j]);
                    }
                }
            }
        }

        private void add(int i, long value) {
            if (count == index.length) {
                index = Arrays.copyOf(index, 2 * count);
                child = Arrays.copyOf(child, 2 * count);
            }
            index[count] = i;
            child[count++] = value;
        }
    }

    /**
     * Pre-sizes each order's windows from the leaves the tables point at: every leaf is a distinct RAM page
     * that the decode reads next, and {@link MapReader#presize} caps each order at what RAM can hold.
     */
    private void presize(MapReader reader, long[] leaves, int leafCount) {
        long[] claimed = new long[pageSize.maxOrder() + 1];
        for (int k = 0; k < leafCount; k++) {
            int order = leafOrder(leaves[2 * k]);
            if (order >= 0) {
                claimed[order] += 1 << leafWindowsLog2;
            }
        }
        for (int order = 0; order < claimed.length; order++) {
            reader.presize(order, claimed[order]);
        }
    }

    /** @return the one valid order of every key in the leaf at {@code leafKey}, or -1 if keys differ or fail */
    private int leafOrder(long leafKey) {
        long firstWindow = leafKey >>> WINDOW_BITS_LOG2;
        int order = windowOrder(firstWindow);
        return order >= 0 && order <= pageSize.maxOrder()
                && order == windowOrder(firstWindow + (1 << leafWindowsLog2) - 1) ? order : -1;
    }

    /** @return the order of the keys of a window, Integer.MAX_VALUE for window 0, negative above order 0 */
    private int windowOrder(long keyWindow) {
        return keyWindow == 0 ? Integer.MAX_VALUE : geometry.orderOf(keyWindow << WINDOW_BITS_LOG2);
    }

    /** A tree page must be read once: a second reference would make the walk revisit (or loop through) it. */
    private static void markSeen(PageSet seen, int level, long page, long entry) throws MemoryMapFormatException {
        int other = seen.add(page, level);
        if (other >= 0) {
            throw new MemoryMapFormatException(other == level ? Kind.NODE_REUSED : Kind.WRONG_LEVEL, page,
                    String.format("the entry at 0x%x makes this page a level-%d node, but it was already read "
                            + "as a level-%d node", entry, level, other));
        }
    }

    private void addLeaf(MapReader reader, long leafKey, long[] leaf, long leafPhys) throws MemoryMapFormatException {
        int windows = 1 << leafWindowsLog2;
        for (int j = 0; j < windows; j++) {
            int firstWord = MapReader.firstNonZero(leaf, j * WINDOW_WORDS);
            if (firstWord < 0) {
                continue;
            }
            long keyWindow = (leafKey >>> WINDOW_BITS_LOG2) + j;
            long wordPhys = leafPhys + 8L * (j * WINDOW_WORDS + firstWord);
            int order = windowOrder(keyWindow);
            if (order > pageSize.maxOrder()) {
                throw new MemoryMapFormatException(Kind.ORDER_OUT_OF_RANGE, wordPhys, String.format(
                        "a key in this leaf word decodes to an order above %d, the largest below 2^52 with %s",
                        pageSize.maxOrder(), pageSize));
            }
            if (order < 0) {
                throw new MemoryMapFormatException(Kind.INVALID_KEY, wordPhys,
                        "a key in this leaf word lies above the order-0 marker bit");
            }
            long blockWindow = keyWindow ^ Long.highestOneBit(keyWindow);
            reader.addBitmap(order, blockWindow, leaf, j * WINDOW_WORDS, 1, leafPhys + 8L * j * WINDOW_WORDS);
        }
    }

    private void checkRefused(long root) throws MemoryMapFormatException {
        if (config.refusePreFix16K() && isLossyPreFix()) {
            throw new MemoryMapFormatException(Kind.REFUSED_LAYOUT, root, "radix trees written by 7.1-rc kernels "
                    + "with 16 KiB pages before commit d64b0372 lose order-0 keys; refused as configured "
                    + "(kho-abi.md §9.3)");
        }
    }

    private void checkPageSize(PreservedMemoryMap map) {
        if (map.pageSize() != pageSize) {
            throw new IllegalArgumentException("map uses " + map.pageSize() + ", codec " + pageSize);
        }
    }
}
