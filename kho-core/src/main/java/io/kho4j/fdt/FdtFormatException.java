package io.kho4j.fdt;

import java.io.IOException;

/**
 * A blob that is not a well-formed flattened device tree, or that breaks a {@link DecodeLimits} bound.
 *
 * <p>{@link #kind()} follows libfdt's groups of "bad blob" error codes ({@code libfdt/libfdt.h}), and
 * {@link #offset()} is the byte offset from the start of the blob where the problem was found.
 */
public final class FdtFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Kind {
        /** A block, tag, name or value runs past the end of the blob or its block (libfdt {@code FDT_ERR_TRUNCATED}). */
        TRUNCATED,
        /** The header does not start with 0xd00dfeed ({@code FDT_ERR_BADMAGIC}). */
        BAD_MAGIC,
        /** The header's version window is not one libfdt accepts ({@code FDT_ERR_BADVERSION}). */
        BAD_VERSION,
        /** The token stream is malformed ({@code FDT_ERR_BADSTRUCTURE}). */
        BAD_STRUCTURE,
        /** A header offset or size is not aligned as the format requires ({@code FDT_ERR_ALIGNMENT}). */
        BAD_ALIGNMENT,
        /** An offset points outside the block it must be in, e.g. a property name offset ({@code FDT_ERR_BADOFFSET}). */
        BAD_OFFSET,
        /** Blocks overlap each other. libfdt does not check this; we refuse it. */
        BAD_LAYOUT,
        /** A property value does not have the size or content the caller asked for ({@code FDT_ERR_BADVALUE}). */
        BAD_VALUE,
        /** The blob is well formed but exceeds a configured {@link DecodeLimits} bound. */
        LIMIT_EXCEEDED,
        /** A node or property the caller required is absent ({@code FDT_ERR_NOTFOUND}). */
        NOT_FOUND
    }

    private final Kind kind;
    private final long offset;

    /**
     * Creates an exception.
     *
     * @param kind what was wrong
     * @param offset byte offset in the blob where it was found
     * @param message what was found and what was expected
     */
    public FdtFormatException(Kind kind, long offset, String message) {
        super(kind + " at offset " + offset + ": " + message);
        this.kind = kind;
        this.offset = offset;
    }

    /** @return what was wrong */
    public Kind kind() {
        return kind;
    }

    /** @return byte offset from the start of the blob where the problem was found */
    public long offset() {
        return offset;
    }

    /** @return the message without the kind and offset prefix */
    public String detail() {
        String m = getMessage();
        int i = m.indexOf(": ");
        return i < 0 ? m : m.substring(i + 2);
    }
}
