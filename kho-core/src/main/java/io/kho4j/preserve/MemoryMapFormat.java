package io.kho4j.preserve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The byte layouts of {@code preserved-memory-map} (kho-abi.md §2, §9.3). One ABI generation uses exactly one;
 * the lead maps {@code AbiGeneration} onto these, and {@link #parse} already accepts the DESIGN.md §3
 * generation names.
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
            Map.entry("radix-16k-prefix", RADIX_16K_PREFIX),
            // DESIGN.md §3 generation names. kho-v2 lived only in the 7.1 merge window, weeks before the depth
            // fix of 2026-05-26 (kho-abi.md §9.3), so its 16 KiB trees are pre-fix; 4/64 KiB are the same either way.
            Map.entry("kho-v1-bitmap512", CHUNKS_BITMAP512),
            Map.entry("kho-v1-bitmap-page", CHUNKS_BITMAP_PAGE),
            Map.entry("kho-v2-radix", RADIX_16K_PREFIX),
            Map.entry("kho-v3-blob-size", RADIX),
            Map.entry("kho-v4-blocks", RADIX));

    /** @return whether the layout is a chunk list rather than a radix tree */
    public boolean isChunkList() {
        return this == CHUNKS_BITMAP512 || this == CHUNKS_BITMAP_PAGE;
    }

    /** @return the lowercase dashed name ({@code chunks-bitmap512}) */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param name a format name or a DESIGN.md §3 generation name, any case, {@code -} or {@code _}
     *     ({@code kho-v1-bitmap512}, {@code KHO_V2_RADIX}, {@code radix-16k-prefix})
     * @return the format
     * @throws IllegalArgumentException for an unknown name
     */
    public static MemoryMapFormat parse(String name) {
        MemoryMapFormat f = NAMES.get(name.trim().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (f == null) {
            throw new IllegalArgumentException("unknown memory-map format or ABI generation '" + name
                    + "' (known: " + String.join(", ", new TreeSet<>(NAMES.keySet())) + ")");
        }
        return f;
    }
}
