package io.kho4j.preserve;

import static io.kho4j.preserve.OrderWindows.WINDOW_BITS;
import static io.kho4j.preserve.OrderWindows.WINDOW_BITS_LOG2;
import static io.kho4j.preserve.OrderWindows.WINDOW_WORDS;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.MemoryMapFormatException.Kind;
import java.nio.ByteOrder;

/**
 * The 6.16 – 7.0 chunk list (kho-abi.md §2): a singly linked list of {@code khoser_mem_chunk} pages, each a
 * 16-byte header {@code {u64 next; u32 order; u32 num_elms;}} followed by {@code (PAGE_SIZE - 16) / 16}
 * {@code khoser_mem_bitmap_ptr {u64 phys_start; u64 bitmap;}} entries (255 for 4 KiB pages), pointing at
 * {@code kho_mem_phys_bits} bitmaps of {@code PRESERVE_BITS} bits: {@code 512 * 8} before the
 * "increase metadata bitmap size to PAGE_SIZE" fix, {@code PAGE_SIZE * 8} after it, with the same
 * compatible string.
 *
 * <p>Encoding follows {@code kho_mem_serialize}: orders ascending, bitmaps ascending within an order, a new
 * chunk whenever the order changes or a chunk is full, {@code phys_start = (index * PRESERVE_BITS) <<
 * (order + PAGE_SHIFT)}. 512-byte bitmaps are packed into pages the way {@code kmalloc-512} slabs hold them.
 */
final class ChunkListCodec implements MemoryMapCodec {
    /** {@code sizeof(struct khoser_mem_chunk_hdr)}: next (8), order (4), num_elms (4). kho-abi.md §2. */
    static final int HEADER_BYTES = 16;
    /** {@code sizeof(struct khoser_mem_bitmap_ptr)}: phys_start (8), bitmap (8). kho-abi.md §2. */
    static final int ENTRY_BYTES = 16;
    /** 6.16's {@code PRESERVE_BITS / 8}. kho-abi.md §2. */
    static final int BITMAP512_BYTES = 512;

    private final MemoryMapCodecConfig config;
    private final PageSize pageSize;
    private final int bitmapBytes;
    private final int windowsPerBitmap;
    private final int capacity;

    ChunkListCodec(MemoryMapCodecConfig config) {
        this.config = config;
        this.pageSize = config.pageSize();
        this.bitmapBytes = config.format() == MemoryMapFormat.CHUNKS_BITMAP512 ? BITMAP512_BYTES : pageSize.bytes();
        this.windowsPerBitmap = bitmapBytes * 8 / WINDOW_BITS;
        this.capacity = (pageSize.bytes() - HEADER_BYTES) / ENTRY_BYTES;
    }

    @Override
    public MemoryMapCodecConfig config() {
        return config;
    }

    @Override
    public long pagesNeeded(PreservedMemoryMap map) {
        checkPageSize(map);
        long chunks = 0;
        long bitmaps = 0;
        for (int order : map.orders()) {
            long n = bitmapsOf(map.windows(order));
            bitmaps += n;
            chunks += (n + capacity - 1) / capacity;
        }
        long perPage = pageSize.bytes() / bitmapBytes;
        return chunks + (bitmaps + perPage - 1) / perPage;
    }

    private long bitmapsOf(OrderWindows w) {
        long n = 0;
        long last = -1;
        for (int i = 0; i < w.count(); i++) {
            long bitmap = w.keys[i] / windowsPerBitmap;
            if (bitmap != last) {
                n++;
                last = bitmap;
            }
        }
        return n;
    }

    @Override
    public long encode(PreservedMemoryMap map, PhysicalMemory memory, PageAllocator allocator)
            throws PhysicalMemoryException {
        checkPageSize(map);
        if (map.isEmpty()) {
            return 0;
        }
        Encoder e = new Encoder(new MapWriter(map, memory, allocator, config.byteOrder()));
        for (int order : map.orders()) {
            e.startChunk(order);
            OrderWindows w = map.windows(order);
            int i = 0;
            while (i < w.count()) {
                long bitmap = w.keys[i] / windowsPerBitmap;
                long physStart = (bitmap * windowsPerBitmap << WINDOW_BITS_LOG2) << (pageSize.shift() + order);
                int last = i + windowsPerBitmap - 1;
                if (w.keys[i] % windowsPerBitmap == 0 && last < w.count()
                        && w.keys[last] == w.keys[i] + windowsPerBitmap - 1) {
                    // Keys are unique and ascending, so the bitmap's windows all lie in the map in a row.
                    e.addBitmap(order, physStart, w.words, i * WINDOW_WORDS);
                    i += windowsPerBitmap;
                    continue;
                }
                e.bitmap.clear();
                for (; i < w.count() && w.keys[i] / windowsPerBitmap == bitmap; i++) {
                    e.bitmap.set((int) (w.keys[i] % windowsPerBitmap) * WINDOW_WORDS, w.words, i * WINDOW_WORDS,
                            WINDOW_WORDS);
                }
                e.addBitmap(order, physStart, e.bitmap);
            }
        }
        return e.finish();
    }

    /**
     * Streams chunks and bitmaps out page by page; memory use is the words actually set (a chunk's entries, a
     * partial bitmap's windows), at most a few pages, whatever the map size.
     */
    private final class Encoder {
        /** A bitmap whose windows do not all lie in the map in a row, assembled here. */
        final PartialPage bitmap = new PartialPage(bitmapBytes / 8);
        private final MapWriter writer;
        private final PartialPage chunk = new PartialPage(pageSize.bytes() / 8);
        private final PartialPage slab = new PartialPage(pageSize.bytes() / 8);
        private final int bitmapWords = bitmapBytes / 8;
        private long first = -1;
        private long chunkPhys = -1;
        private int chunkOrder;
        private int entries;
        private long slabPhys = -1;
        private int slabUsed;
        /**
         * While the slab's bitmaps lie in a row in one of the map's word arrays (a run of 512-byte bitmaps of
         * one order), that array: the slab page is written straight from it. Null once they were copied into
         * {@link #slab}.
         */
        private long[] slabSource;
        private int slabSourceOffset;

        Encoder(MapWriter writer) {
            this.writer = writer;
        }

        void startChunk(int order) throws PhysicalMemoryException {
            long phys = writer.allocate();
            if (chunkPhys >= 0) {
                writeChunk(phys);
            } else {
                first = phys;
            }
            chunk.clear();
            chunk.set(0, 0);   // the header's words first, so that the span starts at word 0
            chunk.set(1, 0);
            chunkPhys = phys;
            chunkOrder = order;
            entries = 0;
        }

        /** Adds a bitmap whose {@code bitmapBytes / 8} words are {@code words[offset ..]}. */
        void addBitmap(int order, long physStart, long[] words, int offset) throws PhysicalMemoryException {
            openEntry(order);
            closeEntry(physStart, placeBitmap(words, offset));
        }

        /** Adds the bitmap assembled in {@code partial}. */
        void addBitmap(int order, long physStart, PartialPage partial) throws PhysicalMemoryException {
            openEntry(order);
            closeEntry(physStart, placeBitmap(partial));
        }

        /** A full chunk is followed by a new one before the bitmap's page is taken, as the kernel allocates. */
        private void openEntry(int order) throws PhysicalMemoryException {
            if (entries == capacity) {
                startChunk(order);
            }
        }

        private void closeEntry(long physStart, long bitmapPhys) {
            chunk.set(2 + 2 * entries, physStart);
            chunk.set(3 + 2 * entries, bitmapPhys);
            entries++;
        }

        private long placeBitmap(long[] words, int offset) throws PhysicalMemoryException {
            if (bitmapBytes == pageSize.bytes()) {
                long phys = writer.allocate();
                writer.writePage(phys, words, offset);
                return phys;
            }
            long phys = openSlot();
            if (slabUsed == 0) {
                slabSource = words;
                slabSourceOffset = offset;
            } else if (slabSource != null && (words != slabSource || offset != slabSourceOffset + slabUsed * bitmapWords)) {
                copySlabSource();
            }
            if (slabSource == null) {
                slab.set(slabUsed * bitmapWords, words, offset, bitmapWords);
            }
            return closeSlot(phys);
        }

        private long placeBitmap(PartialPage partial) throws PhysicalMemoryException {
            if (bitmapBytes == pageSize.bytes()) {
                long phys = writer.allocate();
                partial.write(writer, phys);
                return phys;
            }
            long phys = openSlot();
            if (slabSource != null) {
                copySlabSource();
            }
            partial.copyTo(slab, slabUsed * bitmapWords);
            return closeSlot(phys);
        }

        /** @return where the next 512-byte bitmap goes, in the current slab page or a new one */
        private long openSlot() throws PhysicalMemoryException {
            if (slabPhys < 0) {
                slabPhys = writer.allocate();
                slabUsed = 0;
                slabSource = null;
                slab.clear();
            }
            return slabPhys + (long) slabUsed * bitmapBytes;
        }

        private long closeSlot(long phys) throws PhysicalMemoryException {
            if (++slabUsed == pageSize.bytes() / bitmapBytes) {
                writeSlab();
            }
            return phys;
        }

        /** Moves the slab's bitmaps so far from the map's words into {@link #slab}. */
        private void copySlabSource() {
            slab.set(0, slabSource, slabSourceOffset, slabUsed * bitmapWords);
            slabSource = null;
        }

        private void writeSlab() throws PhysicalMemoryException {
            if (slabSource != null) {
                writer.writePage(slabPhys, slabSource, slabSourceOffset, 0, slabUsed * bitmapWords);
            } else {
                slab.write(writer, slabPhys);
            }
            slabPhys = -1;
            slabSource = null;
        }

        /** Header word 1 holds {@code u32 order} at byte 8 and {@code u32 num_elms} at byte 12. */
        private void writeChunk(long next) throws PhysicalMemoryException {
            long order = chunkOrder & 0xffffffffL;
            long count = entries & 0xffffffffL;
            chunk.set(0, next);
            chunk.set(1, config.byteOrder() == ByteOrder.LITTLE_ENDIAN ? order | count << 32 : order << 32 | count);
            chunk.write(writer, chunkPhys);
        }

        long finish() throws PhysicalMemoryException {
            writeChunk(0);
            if (slabPhys >= 0) {
                writeSlab();
            }
            return first;
        }
    }

    @Override
    public PreservedMemoryMap decode(PhysicalMemory memory, long root, MapPageVisitor visitor)
            throws MemoryMapFormatException {
        MapReader reader = new MapReader(memory, pageSize, config.byteOrder());
        PageSet visited = new PageSet(pageSize);
        ChunkBuffer chunk = new ChunkBuffer();
        BitmapRun run = new BitmapRun(reader);
        presize(reader, memory, root, visited, chunk);
        visited.clear();
        long from = -1;
        for (long phys = root; phys != 0; ) {
            reader.checkPointer(phys, pageSize.bytes(), "khoser_mem_chunk", from);
            if (!visited.add(phys)) {
                throw new MemoryMapFormatException(Kind.CYCLE, phys, String.format(
                        "the next pointer at 0x%x leads back to a chunk already read", from));
            }
            chunk.readHeader(reader, phys);
            visitor.visit(phys, pageSize.bytes(), MapPageVisitor.Kind.CHUNK);
            long order = chunk.order();
            long count = chunk.count();
            if (order > pageSize.maxOrder()) {
                throw new MemoryMapFormatException(Kind.ORDER_OUT_OF_RANGE, phys + 8, String.format(
                        "chunk order %d exceeds %d, the largest block order below 2^52 with %s", order,
                        pageSize.maxOrder(), pageSize));
            }
            if (count > capacity) {
                throw new MemoryMapFormatException(Kind.COUNT_TOO_LARGE, phys + 12, String.format(
                        "num_elms %d exceeds the %d bitmap pointers a chunk holds", count, capacity));
            }
            long[] entries = chunk.readEntries(reader, phys, (int) count);
            for (int i = 0; i < count; i++) {
                long entry = phys + HEADER_BYTES + (long) i * ENTRY_BYTES;
                long bitmap = entries[2 * i + 1];
                long firstKey;
                try {
                    firstKey = firstKey(entries[2 * i], (int) order, entry);
                    reader.checkPointer(bitmap, bitmapBytes, "kho_mem_phys_bits bitmap", entry + 8);
                } catch (MemoryMapFormatException e) {
                    run.flush();   // the bitmaps before this entry are read first, as one by one
                    throw e;
                }
                visitor.visit(bitmap, bitmapBytes, MapPageVisitor.Kind.BITMAP);
                run.add((int) order, firstKey, bitmap);
            }
            run.flush();
            from = phys;
            phys = chunk.next();
        }
        return reader.finish();
    }

    /**
     * Bitmaps that follow each other in memory and in key order inside one page, as 512-byte bitmaps lie in
     * their slab page: read as the one larger bitmap they are, with one {@link MapReader#readBitmap} (one bulk
     * read, one RAM check) instead of one per 512 bytes. Every entry is still checked on its own first.
     */
    private final class BitmapRun {
        private final MapReader reader;
        private int order;
        private long firstKey;
        private long phys;
        private int bitmaps;

        BitmapRun(MapReader reader) {
            this.reader = reader;
        }

        /** Adds a checked bitmap: to the run if it continues it, else after reading the run. */
        void add(int bitmapOrder, long key, long bitmap) throws MemoryMapFormatException {
            if (bitmaps > 0 && (bitmapOrder != order || key != firstKey + (long) bitmaps * windowsPerBitmap
                    || bitmap != phys + (long) bitmaps * bitmapBytes || pageSize.isAligned(bitmap))) {
                flush();
            }
            if (bitmaps == 0) {
                order = bitmapOrder;
                firstKey = key;
                phys = bitmap;
            }
            bitmaps++;
        }

        void flush() throws MemoryMapFormatException {
            if (bitmaps > 0) {
                int windows = bitmaps * windowsPerBitmap;
                bitmaps = 0;
                reader.readBitmap(order, firstKey, windows, phys);
            }
        }
    }

    /**
     * One chunk as words, read in the map's byte order: the header, then only the {@code num_elms} entries it
     * claims (after the caller checked that count), so a chunk with a few entries costs a few words, not a page.
     */
    private final class ChunkBuffer {
        private final long[] header = new long[HEADER_BYTES / 8];
        /** {phys_start, bitmap} pairs; grown to the largest checked count read, at most a page. */
        private long[] entries = new long[0];

        void readHeader(MapReader reader, long phys) throws MemoryMapFormatException {
            reader.readWords(phys, HEADER_BYTES, header);
        }

        long next() {
            return header[0];
        }

        /** @return {@code u32 order}, at byte 8 */
        long order() {
            return config.byteOrder() == ByteOrder.LITTLE_ENDIAN ? header[1] & 0xffffffffL : header[1] >>> 32;
        }

        /** @return {@code u32 num_elms}, at byte 12 */
        long count() {
            return config.byteOrder() == ByteOrder.LITTLE_ENDIAN ? header[1] >>> 32 : header[1] & 0xffffffffL;
        }

        /** @param count entries, at most the chunk's capacity @return the entries as {phys_start, bitmap} words */
        long[] readEntries(MapReader reader, long phys, int count) throws MemoryMapFormatException {
            if (entries.length < 2 * count) {
                entries = new long[2 * count];
            }
            reader.readWords(phys + HEADER_BYTES, count * ENTRY_BYTES, entries);
            return entries;
        }
    }

    /**
     * Walks the chunks once before the decode proper and pre-sizes each order's windows from the entries whose
     * bitmap pointer is aligned and inside RAM: the bitmaps the decode will read, so the decode never grows its
     * arrays and a hostile {@code num_elms} (capped at a chunk's capacity) adds nothing for entries that point
     * nowhere; {@link MapReader#presize} caps each order at what RAM can hold. The walk stops quietly wherever
     * the decode proper will throw (a bad pointer, a cycle, a bad order), so errors keep their order and text.
     */
    private void presize(MapReader reader, PhysicalMemory memory, long root, PageSet visited, ChunkBuffer chunk) {
        long[] claimed = new long[pageSize.maxOrder() + 1];
        try {
            for (long phys = root; phys != 0 && pageSize.isAligned(phys) && memory.isRam(phys, pageSize.bytes())
                    && visited.add(phys); phys = chunk.next()) {
                chunk.readHeader(reader, phys);
                long order = chunk.order();
                if (order > pageSize.maxOrder()) {
                    break;
                }
                int count = (int) Math.min(chunk.count(), capacity);
                long[] entries = chunk.readEntries(reader, phys, count);
                for (int i = 0; i < count; i++) {
                    long bitmap = entries[2 * i + 1];
                    if ((bitmap & (bitmapBytes - 1)) == 0 && memory.isRam(bitmap, bitmapBytes)) {
                        claimed[(int) order] += windowsPerBitmap;
                    }
                }
            }
        } catch (MemoryMapFormatException e) {
            // A chunk that cannot be read: the decode proper reports it.
        }
        for (int order = 0; order < claimed.length; order++) {
            reader.presize(order, claimed[order]);
        }
    }

    /** @return the window index of a bitmap's first bit, after checking {@code phys_start} */
    private long firstKey(long physStart, int order, long field) throws MemoryMapFormatException {
        int shift = pageSize.shift() + order;
        long span = (long) bitmapBytes * 8;
        if (physStart < 0 || physStart >= 1L << PageSize.MAX_PHYS_BITS || (physStart & ((1L << shift) - 1)) != 0
                || (physStart >>> shift) % span != 0) {
            throw new MemoryMapFormatException(Kind.BAD_PHYS_START, field, String.format(
                    "phys_start 0x%x is not a multiple of the %d blocks of order %d a bitmap covers, below 2^52",
                    physStart, span, order));
        }
        return (physStart >>> shift) >>> WINDOW_BITS_LOG2;
    }

    private void checkPageSize(PreservedMemoryMap map) {
        if (map.pageSize() != pageSize) {
            throw new IllegalArgumentException("map uses " + map.pageSize() + ", codec " + pageSize);
        }
    }
}
