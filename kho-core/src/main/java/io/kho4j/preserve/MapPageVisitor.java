package io.kho4j.preserve;

/**
 * Told about every structure page a decoder reads, as the successor kernel reads it: for checks such as the
 * 7.3+ rule that radix table pages keep their 1 GiB block busy (kho-abi.md §9.5).
 */
@FunctionalInterface
public interface MapPageVisitor {
    /** A visitor that ignores everything. */
    MapPageVisitor NONE = (phys, length, kind) -> { };

    /** What a structure is. */
    enum Kind {
        /** A {@code khoser_mem_chunk} page. */
        CHUNK,
        /** A {@code kho_mem_phys_bits} bitmap (512 bytes or one page). */
        BITMAP,
        /** A {@code kho_radix_node} table page, root included. */
        RADIX_TABLE,
        /** A {@code kho_radix_leaf} bitmap page. */
        RADIX_LEAF
    }

    /**
     * @param phys first address of the structure
     * @param length its bytes
     * @param kind what it is
     */
    void visit(long phys, int length, Kind kind);
}
