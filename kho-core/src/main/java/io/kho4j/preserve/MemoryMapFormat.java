package io.kho4j.preserve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The byte layouts of {@code preserved-memory-map} (kho-abi.md §2, §9.3). Each ABI generation uses exactly one
 * ({@code AbiGeneration.memoryMap()}); kho-v2 lived only in the 7.1 merge window, weeks before the depth fix of
 * 2026-05-26, so its 16 KiB trees are pre-fix.
 */
public enum MemoryMapFormat {
    /** Chunk list of {@code khoser_mem_chunk} with 512-byte bitmaps: 6.16 – 6.17.8 ({@code KHO_V1_BITMAP512}). */
    CHUNKS_BITMAP512,
    /** Chunk list with one-page bitmaps: 6.17.9+ stable, 6.18 – 7.0 ({@code KHO_V1_BITMAP_PAGE}). */
    CHUNKS_BITMAP_PAGE,
    /** Radix tree with the fixed depth formula: 7.1 final and later ({@code KHO_V3_BLOB_SIZE}, {@code KHO_V4_BLOCKS}). */
    RADIX,
    /**
     * Radix tree with the depth formula of 7.1-rc before "kho: fix KHO_TREE_MAX_DEPTH for non-4KB page sizes"
     * (kho-abi.md §9.3). Same as {@link #RADIX} for 4 and 64 KiB pages; with 16 KiB pages the tree is one
     * level short and order-0 keys lose their order bit. {@code KHO_V2_RADIX} maps here, and so do 7.1-rc1 to
     * rc5 kernels with 16 KiB pages, though they already say {@code kho-v3}.
     */
    RADIX_16K_PREFIX;

    private static final Map<String, MemoryMapFormat> NAMES = Map.ofEntries(
            Map.entry("chunks-bitmap512", CHUNKS_BITMAP512),
            Map.entry("chunks-bitmap-page", CHUNKS_BITMAP_PAGE),
            Map.entry("radix", RADIX),
            Map.entry("radix-16k-prefix", RADIX_16K_PREFIX));

    /**
     * @param pageSize the kernel's PAGE_SIZE in bytes
     * @return bytes of one preservation bitmap: {@code PRESERVE_BITS / 8} for chunk lists (512 in 6.16, a page
     *     from 6.17.9), a page for radix-tree leaves
     */
    public int bitmapBytes(int pageSize) {
        return this == CHUNKS_BITMAP512 ? 512 : pageSize;
    }

    /** @return whether the layout is a chunk list rather than a radix tree */
    public boolean isChunkList() {
        return this == CHUNKS_BITMAP512 || this == CHUNKS_BITMAP_PAGE;
    }

    /** @return the lowercase dashed name ({@code chunks-bitmap512}) */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param name a format name, any case, {@code -} or {@code _} ({@code chunks-bitmap512}, {@code RADIX_16K_PREFIX});
     *     generation names are {@code AbiGeneration.parse}'s
     * @return the format
     * @throws IllegalArgumentException for an unknown name
     */
    public static MemoryMapFormat parse(String name) {
        MemoryMapFormat f = NAMES.get(name.trim().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (f == null) {
            throw new IllegalArgumentException("unknown memory-map format '" + name
                    + "' (known: " + String.join(", ", new TreeSet<>(NAMES.keySet())) + ")");
        }
        return f;
    }
}
