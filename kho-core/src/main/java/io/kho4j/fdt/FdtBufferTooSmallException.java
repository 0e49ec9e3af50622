package io.kho4j.fdt;

/**
 * The caller's buffer of an {@link FdtWriter#over} writer cannot hold the blob, as libfdt's
 * {@code -FDT_ERR_NOSPACE}. Unchecked: the caller chose the buffer, so this is a programming error or a
 * size to retry with. The writer is finished after it.
 */
public final class FdtBufferTooSmallException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int capacity;
    private final long required;

    FdtBufferTooSmallException(int capacity, long required) {
        super("the FDT needs at least " + required + " bytes, the buffer holds " + capacity);
        this.capacity = capacity;
        this.required = required;
    }

    /** @return the buffer's length in bytes */
    public int capacity() {
        return capacity;
    }

    /** @return bytes the blob needs at least: the size written so far when the next piece did not fit */
    public long required() {
        return required;
    }
}
