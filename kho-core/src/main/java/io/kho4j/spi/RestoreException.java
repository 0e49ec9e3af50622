package io.kho4j.spi;

import java.io.IOException;

/**
 * An inbound subtree that a {@link Restorer} cannot read: malformed, truncated, of a version it does not
 * support, or inconsistent with the memory it points at. The message names the subsystem and where (an offset
 * in the blob or a physical address) the problem was found.
 */
public final class RestoreException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String subsystem;

    /** @param subsystem subtree name @param message what was wrong, and where @param cause underlying error or null */
    public RestoreException(String subsystem, String message, Throwable cause) {
        super(subsystem + ": " + message, cause);
        this.subsystem = subsystem;
    }

    /** @return the subtree name */
    public String subsystem() {
        return subsystem;
    }
}
