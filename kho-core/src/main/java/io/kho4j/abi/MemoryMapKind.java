package io.kho4j.abi;

/**
 * How the {@code preserved-memory-map} root address is to be read (kho-abi.md §2). The codecs themselves
 * live in {@code io.kho4j.preserve}; this names the layout so that a reader cannot pick the wrong one.
 */
public enum MemoryMapKind {
    /**
     * A chunk list ({@code struct khoser_mem_chunk}, one page each) of per-order bitmaps of 512 bytes:
     * {@code PRESERVE_BITS (512 * 8)} (6.16 {@code kernel/kexec_handover.c}).
     */
    CHUNK_LIST_BITMAP_512,
    /**
     * The same chunk list with one-page bitmaps: {@code PRESERVE_BITS (PAGE_SIZE * 8)} ("kho: increase
     * metadata bitmap size to PAGE_SIZE", 6.17.9 stable and 6.18).
     */
    CHUNK_LIST_BITMAP_PAGE,
    /** The radix tree of page-sized tables and bitmap leaves ({@code struct kho_radix_node}, 7.1+). */
    RADIX_TREE;

    /**
     * @param pageSize the kernel's PAGE_SIZE in bytes
     * @return bytes of one preservation bitmap (a leaf for the radix tree)
     */
    public int bitmapBytes(int pageSize) {
        return this == CHUNK_LIST_BITMAP_512 ? 512 : pageSize;
    }
}
