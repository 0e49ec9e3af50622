package io.kho4j.memory;

import io.kho4j.memory.Revival.Outcome;
import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code reserve_mem=} regions memblock hands over in its {@code memblock} subtree (kho-abi.md §6), and, after a
 * handover, the children the successor could not use. Immutable.
 *
 * @param regions well-formed regions in subtree order, names unique
 * @param unusable children of the inbound subtree that no request can revive, with the reason; always empty for a
 *     state about to be written
 */
public record ReserveMem(List<ReserveMemRegion> regions, List<Unusable> unusable) {

    /**
     * A child of an inbound {@code memblock} subtree the kernel would not revive.
     *
     * @param name the child's name
     * @param outcome why ({@link Outcome#INCOMPATIBLE}, {@link Outcome#BAD_PROPERTIES} or {@link Outcome#SHADOWED})
     * @param detail what was found, with the blob offset
     */
    public record Unusable(String name, Outcome outcome, String detail) {
        /** @throws NullPointerException for a missing field */
        public Unusable {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** @throws IllegalArgumentException if two regions share a name */
    public ReserveMem {
        regions = List.copyOf(regions);
        unusable = List.copyOf(unusable);
        Set<String> names = new HashSet<>();
        for (ReserveMemRegion r : regions) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("reserve_mem name '" + r.name() + "' appears twice");
            }
        }
    }

    /** @param regions the regions @return a state to write */
    public static ReserveMem of(List<ReserveMemRegion> regions) {
        return new ReserveMem(regions, List.of());
    }

    /** @param name a region name @return the region of that name */
    public Optional<ReserveMemRegion> region(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * Decides, as {@code reserve_mem_kho_revive()} does, whether a request of the new kernel's command line gets its
     * old region back: the name must be handed over, the old start aligned to the requested alignment and the old
     * size exactly the requested size.
     *
     * @param request the new kernel's {@code reserve_mem=} request
     * @return the decision, with the kernel's warning when it allocates afresh
     */
    public Revival revive(ReserveMemRequest request) {
        String name = request.name();
        for (Unusable u : unusable) {
            if (u.name().equals(name) && u.outcome() != Outcome.SHADOWED) {
                return new Revival(name, u.outcome(), Optional.empty(), u.detail());
            }
        }
        Optional<ReserveMemRegion> old = region(name);
        if (old.isEmpty()) {
            return new Revival(name, Outcome.NOT_HANDED_OVER, Optional.empty(), "FDT 'memblock' has no child '" + name
                    + "'; allocated afresh");
        }
        ReserveMemRegion r = old.get();
        if ((r.start() & (request.align() - 1)) != 0) {
            return new Revival(name, Outcome.WRONG_ALIGNMENT, Optional.empty(), String.format("KHO reserve-mem '%s'"
                    + " has wrong alignment (0x%x, 0x%x); allocated afresh", name, request.align(), r.start()));
        }
        if (r.size() != request.size()) {
            return new Revival(name, Outcome.WRONG_SIZE, Optional.empty(), String.format("KHO reserve-mem '%s' has"
                    + " wrong size (0x%x != 0x%x); allocated afresh", name, r.size(), request.size()));
        }
        return new Revival(name, Outcome.REVIVED, old, "Revived memory reservation '" + name + "' from KHO");
    }

    /**
     * Builds the regions a first boot would reserve: each request placed as {@code memblock_phys_alloc(size, align)}
     * does, top-down in the free ranges and below the regions placed before it.
     *
     * @param requests the command line's requests, in order
     * @param free the machine's free RAM
     * @return the state to hand over
     * @throws ReserveMemParameterException if a request does not fit ({@code -ENOMEM})
     */
    public static ReserveMem allocate(List<ReserveMemRequest> requests, List<PhysRange> free)
            throws ReserveMemParameterException {
        List<PhysRange> sorted = new ArrayList<>(free);
        sorted.sort(null);
        Map<String, ReserveMemRegion> placed = new LinkedHashMap<>();
        for (ReserveMemRequest q : requests) {
            ReserveMemRegion r = place(q, sorted, placed.values());
            if (r == null) {
                throw new ReserveMemParameterException("reserve_mem '" + q.name() + "': no free 0x"
                        + Long.toHexString(q.size()) + " bytes aligned to 0x" + Long.toHexString(q.align()) + " (-ENOMEM)");
            }
            placed.put(q.name(), r);
        }
        return of(List.copyOf(placed.values()));
    }

    private static ReserveMemRegion place(ReserveMemRequest q, List<PhysRange> free,
            java.util.Collection<ReserveMemRegion> taken) {
        for (int i = free.size() - 1; i >= 0; i--) {
            PhysRange f = free.get(i);
            long start = Math.floorDiv(f.end() - q.size(), q.align()) * q.align();
            while (start >= f.start()) {
                PhysRange candidate = new PhysRange(start, q.size());
                ReserveMemRegion clash = taken.stream().filter(t -> t.range().overlaps(candidate)).findFirst()
                        .orElse(null);
                if (clash == null) {
                    return new ReserveMemRegion(q.name(), start, q.size());
                }
                start = Math.floorDiv(clash.start() - q.size(), q.align()) * q.align();
            }
        }
        return null;
    }
}
