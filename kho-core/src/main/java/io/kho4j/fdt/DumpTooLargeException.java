package io.kho4j.fdt;

import java.io.IOException;

/**
 * A dump asked for as one {@code String} would be longer than the character limit it was given. Canonical and
 * JSON dumps repeat each node's full path, so a hostile blob of a few megabytes (deep nodes with long names and
 * many properties) can need gigabytes of text; the {@code toString} forms refuse instead of exhausting the heap,
 * while {@code write(fdt, Appendable)} streams any size. The blob itself is valid.
 */
public final class DumpTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final DumpFormat format;
    private final int maxChars;

    DumpTooLargeException(DumpFormat format, int maxChars) {
        super(format + " dump exceeds maxChars=" + maxChars + " characters; stream it with " + format
                + ".write(fdt, Appendable) or raise the limit with toString(fdt, maxChars)");
        this.format = format;
        this.maxChars = maxChars;
    }

    /** @return the format whose text was too long */
    public DumpFormat format() {
        return format;
    }

    /** @return the limit that was exceeded, in characters */
    public int maxChars() {
        return maxChars;
    }
}
