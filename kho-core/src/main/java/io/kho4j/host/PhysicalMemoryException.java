package io.kho4j.host;

import java.io.IOException;

/**
 * An access to physical memory outside the RAM a {@link PhysicalMemory} backs, or an I/O failure of its
 * backing store. Decoders that follow untrusted pointers turn it into their own typed error.
 */
public final class PhysicalMemoryException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long address;

    /** @param address the physical address accessed @param message what was wrong @param cause or null */
    public PhysicalMemoryException(long address, String message, Throwable cause) {
        super(String.format("physical address 0x%x: %s", address, message), cause);
        this.address = address;
    }

    /** @return the physical address whose access failed */
    public long address() {
        return address;
    }
}
