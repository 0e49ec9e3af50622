package io.kho4j.handover;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.preserve.PreservedMemoryMap;
import io.kho4j.scratch.ScratchArea;
import io.kho4j.tree.InboundResult;
import io.kho4j.tree.KhoTree;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the successor made of a handover ({@link KhoInbound}): {@link Dropped}, when it would ignore the whole
 * handover and reuse every preserved page, or {@link Restored}, possibly with failures. Sealed, so a caller
 * handles both, with a {@code switch} pattern or {@link #orThrow()}.
 */
public sealed interface InboundOutcome permits InboundOutcome.Dropped, InboundOutcome.Restored {

    /**
     * @return the restored handover
     * @throws HandoverDroppedException if it was dropped
     */
    Restored orThrow() throws HandoverDroppedException;

    /** @return whether the handover was restored, every subsystem included, and every check passed */
    boolean verified();

    /** Why a successor drops a whole handover. */
    enum DropReason {
        /** The hand-off carries no KHO: a normal boot, or a crash kernel. */
        NO_HANDOVER,
        /** The setup_data chain, the DTB's {@code /chosen} or {@code struct kho_data} cannot be trusted. */
        HAND_OFF_INVALID,
        /** The scratch array is empty, unreadable, or names memory that is not RAM. */
        SCRATCH_INVALID,
        /** The root FDT was refused as the kernel refuses it ({@link InboundResult.Refused}). */
        ROOT_REFUSED,
        /** The root says {@code kho-v1} and no successor release says which bitmap size it uses. */
        GENERATION_AMBIGUOUS,
        /** The preserved-memory map cannot be decoded: the kernel drops the handover then. */
        MEMORY_MAP_INVALID
    }

    /**
     * A handover the successor ignores as a whole.
     *
     * @param reason why
     * @param address physical address where the problem is (for {@link DropReason#ROOT_REFUSED}: the root's
     *     address plus the offset in it), 0 if none applies
     * @param message what the kernel would log and what was wrong
     */
    record Dropped(DropReason reason, long address, String message) implements InboundOutcome {
        /** Checks for nulls. */
        public Dropped {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Restored orThrow() throws HandoverDroppedException {
            throw new HandoverDroppedException(this);
        }

        @Override
        public boolean verified() {
            return false;
        }

        @Override
        public String toString() {
            return String.format("handover dropped (%s at 0x%x): %s", reason, address, message);
        }
    }

    /** What happened to one subsystem's subtree. */
    enum Status {
        /** Negotiated and restored. */
        RESTORED,
        /** No restorer for it is registered: nobody retrieves it. */
        NO_RESTORER,
        /** The kernel would not hand it to its subsystem (a bad pointer property, a blob outside RAM). */
        UNREADABLE,
        /** Its versions and the restorer's have nothing in common. */
        NOT_NEGOTIATED,
        /** The restorer refused it. */
        FAILED
    }

    /**
     * One subtree of the root.
     *
     * @param name its name
     * @param status what happened
     * @param compatible the negotiated version, or what the subtree declares, or "" if unknown
     * @param blobPhys where its blob is (0 if the pointer was unusable)
     * @param blobSize its size
     * @param message why it was not restored; "" when it was
     */
    record Subsystem(String name, Status status, String compatible, long blobPhys, long blobSize, String message) {
        /** Checks for nulls. */
        public Subsystem {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(compatible, "compatible");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A handover the successor accepted.
     *
     * @param generation the generation it was read as
     * @param handOff the {@code struct kho_data} the hand-off carried
     * @param scratch the scratch areas
     * @param tree the root's content
     * @param map the preserved blocks
     * @param subsystems one entry per subtree, in document order
     * @param states each restored state by subtree name
     * @param mismatches digest mismatches, each naming the subsystem and the page
     * @param digestsChecked manifest ranges checked
     * @param failures every problem in one line each: subsystems not restored, mismatches, manifest disagreements
     * @param phases wall time per phase in nanoseconds, in order
     */
    record Restored(AbiGeneration generation, KhoData handOff, List<ScratchArea> scratch, KhoTree tree,
            PreservedMemoryMap map, List<Subsystem> subsystems, Map<String, Object> states,
            List<RangeDigests.Mismatch> mismatches, int digestsChecked, List<String> failures,
            Map<String, Long> phases) implements InboundOutcome {

        /** Copies the collections. */
        public Restored {
            Objects.requireNonNull(generation, "generation");
            Objects.requireNonNull(handOff, "handOff");
            scratch = List.copyOf(scratch);
            Objects.requireNonNull(tree, "tree");
            Objects.requireNonNull(map, "map");
            subsystems = List.copyOf(subsystems);
            states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
            mismatches = List.copyOf(mismatches);
            failures = List.copyOf(failures);
            phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
        }

        @Override
        public Restored orThrow() {
            return this;
        }

        @Override
        public boolean verified() {
            return failures.isEmpty();
        }

        /**
         * @param <S> the state type
         * @param name subtree name
         * @param type the state's class
         * @return the restored state, if that subtree was restored to that type
         */
        public <S> Optional<S> state(String name, Class<S> type) {
            Object s = states.get(name);
            return type.isInstance(s) ? Optional.of(type.cast(s)) : Optional.empty();
        }
    }
}
