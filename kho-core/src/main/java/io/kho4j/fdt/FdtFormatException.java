package io.kho4j.fdt;

import java.io.IOException;

/**
 * A blob that is not a well-formed flattened device tree, or that breaks a {@link DecodeLimits} bound.
 *
 * <p>{@link #kind()} is the libfdt error code that {@code fdt_check_full} (dtc 1.6.1) returns for the
 * same blob, so that our verdict and the kernel's can be compared; the kinds without a libfdt
 * counterpart mark checks libfdt does not make (see {@link #isStricterThanLibfdt()}).
 * {@link #offset()} is the byte offset from the start of the blob where the problem was found.
 */
public final class FdtFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Kind {
        /**
         * The blob is shorter than its header, its header's blocks or its totalsize say; a tag cannot be read
         * before the struct block ends; the reservation map has no terminating entry; or a property name in
         * the strings block is not NUL-terminated (libfdt {@code FDT_ERR_TRUNCATED}).
         */
        TRUNCATED,
        /** The header does not start with 0xd00dfeed ({@code FDT_ERR_BADMAGIC}). */
        BAD_MAGIC,
        /** The header's version window is not one libfdt accepts ({@code FDT_ERR_BADVERSION}). */
        BAD_VERSION,
        /**
         * The token stream is malformed: unknown token, unbalanced nodes, two roots, a named root, a node
         * name or property value running past the struct block ({@code FDT_ERR_BADSTRUCTURE}).
         */
        BAD_STRUCTURE,
        /** A header offset is not aligned as the Devicetree Specification requires (libfdt does not check). */
        BAD_ALIGNMENT,
        /** A property name offset points outside the strings block ({@code FDT_ERR_BADOFFSET}). */
        BAD_OFFSET,
        /** Blocks overlap each other. libfdt does not check this; we refuse it. */
        BAD_LAYOUT,
        /** A property value does not have the size or content the caller asked for ({@code FDT_ERR_BADVALUE}). */
        BAD_VALUE,
        /** The blob exceeds a configured {@link DecodeLimits} bound. */
        LIMIT_EXCEEDED,
        /** A node or property the caller required is absent ({@code FDT_ERR_NOTFOUND}). */
        NOT_FOUND
    }

    private final Kind kind;
    private final long offset;
    private final boolean stricterThanLibfdt;

    /**
     * Creates an exception.
     *
     * @param kind what was wrong
     * @param offset byte offset in the blob where it was found
     * @param message what was found and what was expected
     */
    public FdtFormatException(Kind kind, long offset, String message) {
        this(kind, offset, message, false);
    }

    FdtFormatException(Kind kind, long offset, String message, boolean stricterThanLibfdt) {
        super(kind + " at offset " + offset + ": " + message);
        this.kind = kind;
        this.offset = offset;
        this.stricterThanLibfdt = stricterThanLibfdt;
    }

    /** @return what was wrong */
    public Kind kind() {
        return kind;
    }

    /** @return byte offset from the start of the blob where the problem was found */
    public long offset() {
        return offset;
    }

    /**
     * Whether the check that failed is one libfdt 1.6.1's {@code fdt_check_full} does not make (alignment,
     * overlapping blocks, a tree without a root, a property outside any node, a {@link DecodeLimits}
     * bound, a property length that overflows libfdt's offset arithmetic). {@link FdtValidator} makes
     * these checks only after every check libfdt makes has passed, except for {@link DecodeLimits},
     * which bound the work as the walk goes; docs/ERRORS.md lists them.
     *
     * @return true if libfdt would not have failed this check
     */
    public boolean isStricterThanLibfdt() {
        return stricterThanLibfdt;
    }

    /** @return the message without the kind and offset prefix */
    public String detail() {
        String m = getMessage();
        int i = m.indexOf(": ");
        return i < 0 ? m : m.substring(i + 2);
    }
}
