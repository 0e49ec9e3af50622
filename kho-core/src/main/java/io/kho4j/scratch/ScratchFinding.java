package io.kho4j.scratch;

import io.kho4j.preserve.PhysRange;
import java.util.Objects;

/**
 * A problem a scratch check found.
 *
 * @param kind what rule is broken
 * @param range where
 * @param message what and why, with addresses
 */
public record ScratchFinding(Kind kind, PhysRange range, String message) {
    /** The rules. */
    public enum Kind {
        /** A preserved block lies in scratch: kernels refuse to preserve it ({@code kho_scratch_overlap}, kho-abi.md §8). */
        PRESERVED_IN_SCRATCH,
        /** A kexec segment (kernel, initrd, scratch array) finds no hole inside scratch ({@code kho_locate_mem_hole}). */
        SEGMENT_DOES_NOT_FIT,
        /** Memory the successor must read is not a preserved block; 7.3+ may reuse it early (kho-abi.md §9.5). */
        NOT_PRESERVED,
        /** A 1 GiB block the successor must read from holds no preserved block and no radix table page (kho-abi.md §9.5). */
        UNPROTECTED_GIB
    }

    /** Checks for nulls. */
    public ScratchFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return kind + " " + range + ": " + message;
    }
}
