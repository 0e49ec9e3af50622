package io.kho4j.memory;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code reserve_mem_kho_revive()} (mm/memblock.c, kho-abi.md §6) decides for one {@code reserve_mem=}
 * request after a handover: the region comes back at its old address, or the kernel warns and allocates it afresh.
 *
 * @param name the requested name
 * @param outcome what happened
 * @param region the revived region, present only for {@link Outcome#REVIVED}
 * @param message the kernel's log line, in words
 */
public record Revival(String name, Outcome outcome, Optional<ReserveMemRegion> region, String message) {
    /** The kernel's decision. Everything but {@link #REVIVED} means the region is allocated afresh. */
    public enum Outcome {
        /** "Revived memory reservation '%s' from KHO". */
        REVIVED,
        /** The subtree has no child of that name ("FDT 'memblock' has no child"). */
        NOT_HANDED_OVER,
        /** The child is not {@code reserve-mem-v1} ("Node '%s' is incompatible with ..."). */
        INCOMPATIBLE,
        /** {@code start} or {@code size} is missing or not 8 bytes (silently not revived). */
        BAD_PROPERTIES,
        /** The old start is not aligned to the requested alignment ("KHO reserve-mem '%s' has wrong alignment"). */
        WRONG_ALIGNMENT,
        /** The old size differs from the requested size ("KHO reserve-mem '%s' has wrong size"). */
        WRONG_SIZE,
        /** A second child of the same name: {@code fdt_subnode_offset} only ever finds the first. */
        SHADOWED
    }

    /** @throws IllegalArgumentException if a region is given for anything but {@link Outcome#REVIVED} or missing for it */
    public Revival {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        if (region.isPresent() != (outcome == Outcome.REVIVED)) {
            throw new IllegalArgumentException("a region comes back exactly when the outcome is REVIVED");
        }
    }

    /** @return whether the region keeps its old address */
    public boolean revived() {
        return outcome == Outcome.REVIVED;
    }
}
