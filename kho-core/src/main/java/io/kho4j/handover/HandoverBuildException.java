package io.kho4j.handover;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A handover that cannot be built, or must not be: the two kernels disagree on the ABI, KHO is off, scratch
 * cannot be placed, a subsystem's state or preservations are invalid, the next kernel does not fit scratch, or
 * a producer rule is broken. {@link #kind()} says which; the message says what and where, with addresses.
 * Refusals that depend only on the target ({@link Kind#INCOMPATIBLE_KERNELS}) are raised before anything is
 * written to memory.
 */
public final class HandoverBuildException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What stopped the build. */
    public enum Kind {
        /** The successor would lose the state: different root compatible, bitmap size or page size. */
        INCOMPATIBLE_KERNELS,
        /** KHO is off on the first kernel's command line ({@code kho=on} missing). */
        KHO_DISABLED,
        /** The scratch areas cannot be placed on this machine (the kernel disables KHO then). */
        SCRATCH_INFEASIBLE,
        /** A serializer refused its state or wrote nothing for the generation. */
        SERIALIZER_FAILED,
        /** A preservation is misaligned, outside RAM, in scratch, across a NUMA node, or preserved twice. */
        PRESERVATION_INVALID,
        /** No free memory outside scratch is left for a blob, folio or memory-map page. */
        OUT_OF_MEMORY,
        /** The root FDT would not fit one page, or two subtrees share a name. */
        ROOT_INVALID,
        /** The 7.3+ producer rule (kho-abi.md §9.5) is broken: the successor may reuse memory it must read. */
        PRODUCER_RULE,
        /** The next kernel, its initrd or the hand-off segments do not fit the scratch areas. */
        SEGMENTS_DO_NOT_FIT,
        /** The boot DTB given for the hand-off is not valid, or its cells cannot hold the addresses. */
        HAND_OFF_INVALID
    }

    private final Kind kind;
    private final String summary;
    private final List<String> details;

    /** @param kind what stopped the build @param message what and where */
    public HandoverBuildException(Kind kind, String message) {
        this(kind, message, List.of(), null);
    }

    /**
     * @param kind what stopped the build
     * @param message what and where
     * @param details one line per finding, when there are several
     * @param cause the underlying failure, or null
     */
    public HandoverBuildException(Kind kind, String message, List<String> details, Throwable cause) {
        super(kind + ": " + message + (details.isEmpty() ? "" : ": " + String.join("; ", details)), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.summary = message;
        this.details = List.copyOf(details);
    }

    /** @return what stopped the build */
    public Kind kind() {
        return kind;
    }

    /** @return what stopped the build, without the kind and the details */
    public String summary() {
        return summary;
    }

    /** @return one line per finding; empty when the message says it all */
    public List<String> details() {
        return details;
    }
}
