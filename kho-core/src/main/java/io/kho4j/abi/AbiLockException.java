package io.kho4j.abi;

/** A lock file that cannot be read, or a lock update refused because a layout changed without a version bump. */
public final class AbiLockException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong @param cause the underlying error, or null */
    public AbiLockException(String message, Throwable cause) {
        super(message, cause);
    }
}
