package io.kho4j.tree;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.spi.InboundSubtree;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the successor kernel makes of a root FDT: {@link Accepted}, or {@link Refused}, in which case the kernel
 * disables KHO revival for the whole handover ("disabling KHO revival", kho_populate; kho-abi.md §8) and every
 * preserved page is reused. The type is sealed so that callers must handle both cases, e.g. with a
 * {@code switch} pattern or {@link #orThrow()}.
 */
public sealed interface InboundResult permits InboundResult.Accepted, InboundResult.Refused {

    /**
     * @return the accepted handover
     * @throws HandoverRefusedException if the root was refused
     */
    Accepted orThrow() throws HandoverRefusedException;

    /** @return whether the handover was accepted */
    boolean accepted();

    /** Why a root was refused. */
    enum Reason {
        /** Not a valid FDT ({@code fdt_check_header} fails: "handover FDT is invalid"). */
        INVALID_FDT,
        /** Larger than the one page the kernel maps. */
        ROOT_TOO_LARGE,
        /** The root compatible does not name the expected generation ("handover FDT ... is incompatible"). */
        INCOMPATIBLE,
        /** {@code preserved-memory-map} missing or not 8 bytes. */
        MEMORY_MAP_MISSING,
        /** {@code preserved-memory-map} is 0, which 6.19+ readers refuse (before 6.19 it meant "nothing preserved"). */
        MEMORY_MAP_ZERO
    }

    /**
     * An accepted root.
     *
     * @param tree the root's content (well-formed subtree references only)
     * @param generations the generations it can be: one, or both kho-v1 generations when no kernel release was
     *     given (see {@link #generation()})
     * @param rootSize the root's totalsize
     * @param issues children the kernel would not hand to their subsystem, and blobs that could not be read
     * @param blobs the readable subtree blobs by name, in document order (empty without a {@code PhysicalMemory})
     */
    record Accepted(KhoTree tree, List<AbiGeneration> generations, int rootSize, List<SubtreeIssue> issues,
            Map<String, InboundSubtree> blobs) implements InboundResult {

        /** Copies the collections. */
        public Accepted {
            Objects.requireNonNull(tree, "tree");
            generations = List.copyOf(generations);
            issues = List.copyOf(issues);
            blobs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(blobs));
            if (generations.isEmpty()) {
                throw new IllegalArgumentException("an accepted root has at least one generation");
            }
        }

        /**
         * @return the one generation of this root
         * @throws GenerationException {@link GenerationException.Kind#AMBIGUOUS_TREE} for a {@code kho-v1} root
         *     parsed without a kernel release: its memory map cannot be decoded until the release is known
         */
        public AbiGeneration generation() throws GenerationException {
            if (generations.size() > 1) {
                throw new GenerationException(GenerationException.Kind.AMBIGUOUS_TREE, "root \"" + tree.compatibles()
                        + "\" can be " + generations + ", which disagree on the memory-map bitmap size; name the"
                        + " successor's kernel release");
            }
            return generations.get(0);
        }

        @Override
        public Accepted orThrow() {
            return this;
        }

        @Override
        public boolean accepted() {
            return true;
        }
    }

    /**
     * A refused root.
     *
     * @param reason why
     * @param offset byte offset in the root where the problem was found (0 if it concerns the whole root)
     * @param message what the kernel would log, and what was wrong
     */
    record Refused(Reason reason, long offset, String message) implements InboundResult {
        /** Checks for nulls. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Accepted orThrow() throws HandoverRefusedException {
            throw new HandoverRefusedException(this);
        }

        @Override
        public boolean accepted() {
            return false;
        }

        @Override
        public String toString() {
            return "handover refused (" + reason + " at offset " + offset + "): " + message
                    + "; the successor disables KHO revival and reuses all preserved memory";
        }
    }
}
