package io.kho4j.memory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The guests of a VM host's handover (kho4j's own {@code vm-memory} subtree). Immutable.
 *
 * @param guests the guests in order, ids unique
 */
public record GuestRam(List<GuestVm> guests) {
    /** @throws IllegalArgumentException if two guests share an id */
    public GuestRam {
        guests = List.copyOf(guests);
        Set<Long> ids = new HashSet<>();
        for (GuestVm g : guests) {
            if (!ids.add(g.id())) {
                throw new IllegalArgumentException("guest id " + g.id() + " appears twice");
            }
        }
    }
}
