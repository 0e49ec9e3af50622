package io.kho4j.handover;

import java.io.IOException;

/**
 * A hand-off structure from a previous kernel (an x86 {@code setup_data} chain, DT {@code /chosen} KHO
 * properties) that cannot be trusted: a pointer outside RAM, a cycle, a wrong length. The message names the
 * physical address or property and what was wrong.
 */
public final class HandOffFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long address;

    /** @param address physical address (or blob offset for /chosen) of the problem @param message what was wrong */
    public HandOffFormatException(long address, String message) {
        super(String.format("at 0x%x: %s", address, message));
        this.address = address;
    }

    /** @return the physical address, or the blob offset for a /chosen property, of the problem */
    public long address() {
        return address;
    }
}
