package io.kho4j.host;

/**
 * A native facility kho4j needs is not present on this machine: libfdt not installed, no KHO kernel,
 * debugfs not mounted. The message says what is missing and how to get it; the cause, if any, is the
 * underlying linkage or I/O error.
 */
public final class KhoUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is missing and how to get it @param cause the underlying error, or null */
    public KhoUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
