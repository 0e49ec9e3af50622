package io.kho4j.tree;

/**
 * The root FDT would not fit in one page: the kernel builds it in a single {@code PAGE_SIZE} buffer and hands
 * over only {@code PAGE_SIZE} bytes (x86 {@code kho_data.fdt_size}, DT {@code fdt_len}; kho-abi.md §8), so
 * libfdt fails with {@code -FDT_ERR_NOSPACE}.
 */
public final class RootOverflowException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int limit;

    /** @param size bytes the root would need @param limit the page size @param what the step that overflowed */
    public RootOverflowException(int size, int limit, String what) {
        super(what + ": the root FDT would be " + size + " bytes, more than one " + limit + "-byte page");
        this.size = size;
        this.limit = limit;
    }

    /** @return bytes the root would need */
    public int size() {
        return size;
    }

    /** @return the page size it must fit */
    public int limit() {
        return limit;
    }
}
