package io.kho4j.memory;

import io.kho4j.preserve.PhysRange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One guest whose RAM a VM host keeps across a kexec (kho4j's own format, {@code kho4j,vm-memory-v1}/{@code -v2}).
 *
 * @param id the host's id for the guest, unique in a handover
 * @param name the guest's name (no NUL)
 * @param ranges its RAM, page-aligned ranges each preserved as blocks
 * @param metadata VMM facts, if the host has any to hand over
 */
public record GuestVm(long id, String name, List<PhysRange> ranges, Optional<VmmMetadata> metadata) {
    /** @throws IllegalArgumentException for a name with NUL or a guest without RAM */
    public GuestVm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metadata, "metadata");
        ranges = List.copyOf(ranges);
        if (name.indexOf('\0') >= 0 || ranges.isEmpty()) {
            throw new IllegalArgumentException("guest " + id + ": a name without NUL and at least one RAM range");
        }
    }
}
