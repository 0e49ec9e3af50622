package io.kho4j.scratch;

/** A {@code kho_scratch=}, {@code kho_bootmem=} or {@code kho=} value the kernel would reject. */
public final class ScratchParameterException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the value and why the kernel rejects it */
    public ScratchParameterException(String message) {
        super(message);
    }
}
