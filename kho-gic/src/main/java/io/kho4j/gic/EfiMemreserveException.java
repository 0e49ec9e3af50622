package io.kho4j.gic;

import java.io.IOException;

/**
 * A {@code LINUX_EFI_MEMRESERVE} list that cannot be read safely: a block outside RAM, misaligned or crossing its
 * page, a count above the block's size, an entry that wraps, a cycle, or more blocks than the limit. The message and
 * {@link #address()} say where.
 */
public final class EfiMemreserveException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long address;

    /** @param address physical address of the offending field @param message what was wrong @param cause or null */
    public EfiMemreserveException(long address, String message, Throwable cause) {
        super(String.format("memreserve at 0x%x: %s", address, message), cause);
        this.address = address;
    }

    /** @return physical address of the offending field */
    public long address() {
        return address;
    }
}
