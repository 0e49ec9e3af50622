package io.kho4j.preserve;

import java.io.IOException;

/**
 * A preserved-memory map in physical memory that the successor kernel must not trust, or a map that a
 * chosen layout cannot represent. {@link #address()} is a physical address; which one each {@link Kind}
 * reports is stated on the kind.
 */
public final class MemoryMapFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Kind {
        /** The radix root is 0; 7.1+ kernels reject it (kho-abi.md §2). Address: 0. */
        NULL_ROOT,
        /** A pointer is not aligned to the structure it points at. Address: the pointer's value. */
        UNALIGNED_POINTER,
        /** A pointer leads outside RAM. Address: the pointer's value. */
        POINTER_OUTSIDE_RAM,
        /** A chunk's {@code next} leads back to a chunk already read. Address: that chunk. */
        CYCLE,
        /** {@code num_elms} exceeds the bitmap pointers a chunk page holds. Address: the field. */
        COUNT_TOO_LARGE,
        /** A chunk order, or the order a radix key decodes to, exceeds the page size's maximum. Address: the field. */
        ORDER_OUT_OF_RANGE,
        /** A bitmap's {@code phys_start} is not aligned to the span its bitmap covers. Address: the field. */
        BAD_PHYS_START,
        /** A radix table entry or leaf bit gives a key with no valid order bit. Address: the entry or leaf word. */
        INVALID_KEY,
        /** A radix page is referenced twice at the same level (a shared subtree). Address: the page. */
        NODE_REUSED,
        /** A radix page is referenced at two levels, e.g. a leaf used as a table. Address: the page. */
        WRONG_LEVEL,
        /** A preserved block does not lie inside RAM. Address: the block, or the bitmap byte for one above 2^52. */
        BLOCK_OUTSIDE_RAM,
        /** Two preserved blocks overlap. Address: the block that was described second or is of lower order. */
        OVERLAP,
        /** The chosen layout cannot hold a block of the map (pre-fix 16 KiB radix trees, order 0). Address: the block. */
        UNREPRESENTABLE,
        /** The caller asked to refuse this layout (pre-fix 16 KiB radix trees). Address: the root. */
        REFUSED_LAYOUT,
        /** The backing store failed while reading. Address: the read. */
        READ_FAILED
    }

    private final Kind kind;
    private final long address;

    /**
     * @param kind what was wrong
     * @param address physical address as {@link Kind} describes
     * @param message what was found and what was expected
     */
    public MemoryMapFormatException(Kind kind, long address, String message) {
        this(kind, address, message, null);
    }

    /**
     * @param kind what was wrong
     * @param address physical address as {@link Kind} describes
     * @param message what was found and what was expected
     * @param cause underlying failure, or null
     */
    public MemoryMapFormatException(Kind kind, long address, String message, Throwable cause) {
        super(String.format("%s at 0x%x: %s", kind, address, message), cause);
        this.kind = kind;
        this.address = address;
    }

    /** @return what was wrong */
    public Kind kind() {
        return kind;
    }

    /** @return the physical address {@link #kind()} describes */
    public long address() {
        return address;
    }

    /** @return the message without the kind and address prefix */
    public String detail() {
        String m = getMessage();
        int i = m.indexOf(": ");
        return i < 0 ? m : m.substring(i + 2);
    }
}
