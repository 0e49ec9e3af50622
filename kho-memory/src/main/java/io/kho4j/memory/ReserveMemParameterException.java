package io.kho4j.memory;

/** A {@code reserve_mem=} parameter the kernel would reject: its message names the value and the reason. */
public final class ReserveMemParameterException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the value and why the kernel rejects it */
    public ReserveMemParameterException(String message) {
        super(message);
    }
}
