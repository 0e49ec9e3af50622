package io.kho4j.preserve;

import java.io.IOException;

/**
 * A structure in preserved memory that a successor must not trust: a {@code kho_vmalloc} chunk list or a
 * linked-block set ({@code kho_block_header_ser}) whose pointers, counts or sizes are wrong. {@link #address()}
 * is the physical address of the offending field or of the structure it points at, as each {@link Kind} says.
 */
public final class PreservedStructureException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Kind {
        /** A pointer leads outside RAM. Address: the pointer's value. */
        POINTER_OUTSIDE_RAM,
        /** A pointer is not aligned to the page or block it points at. Address: the pointer's value. */
        UNALIGNED_POINTER,
        /** A chain leads back to a page already read. Address: that page. */
        CYCLE,
        /** A chain is longer than its format allows ({@code KHO_MAX_BLOCKS}, or more chunks than entries need). Address: the next link. */
        TOO_LONG,
        /** A block's {@code count} is 0 or more than a block holds. Address: the block. */
        BAD_COUNT,
        /** The entries found disagree with a declared total ({@code total_pages}, a file count). Address: the structure. */
        COUNT_MISMATCH,
        /** An order is beyond what the page size allows. Address: the descriptor. */
        ORDER_OUT_OF_RANGE,
        /** Flag bits no kernel defines are set. Address: the descriptor. */
        UNKNOWN_FLAGS,
        /** The structure declares more than the caller's limit allows reading. Address: the structure. */
        LIMIT_EXCEEDED,
        /** The backing memory failed while reading. Address: the read. */
        READ_FAILED
    }

    private final Kind kind;
    private final long address;

    /**
     * @param kind what was wrong
     * @param address physical address as {@link Kind} describes
     * @param message what was found and what was expected
     * @param cause underlying failure, or null
     */
    public PreservedStructureException(Kind kind, long address, String message, Throwable cause) {
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
}
