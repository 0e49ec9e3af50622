package io.kho4j.scratch;

import io.kho4j.preserve.PhysRange;
import java.util.Objects;

/**
 * One {@code struct kho_scratch} entry: {@code {phys_addr_t addr; phys_addr_t size;}} (kho-abi.md §3).
 *
 * @param role which area of the array it is
 * @param node the node of a {@link Role#NODE} area, -1 otherwise
 * @param address first byte
 * @param size bytes; 0 is possible (a zero component, or a percentage of nothing)
 */
public record ScratchArea(Role role, int node, long address, long size) {
    /** Array order: [0] lowmem, [1] global, [2..] one per node (kho-abi.md §3). */
    public enum Role {
        /** Below the arch low limit, for the successor's lowmem allocations. */
        LOWMEM,
        /** Anywhere, for allocations without a node. */
        GLOBAL,
        /** On one node. */
        NODE
    }

    /** @throws IllegalArgumentException for negative values */
    public ScratchArea {
        Objects.requireNonNull(role, "role");
        if (address < 0 || size < 0 || address > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException(String.format("invalid scratch area 0x%x+0x%x", address, size));
        }
    }

    /** @return one past the last byte */
    public long end() {
        return address + size;
    }

    /** @param range a range @return whether it shares a byte with this area */
    public boolean overlaps(PhysRange range) {
        return size > 0 && address < range.end() && range.start() < end();
    }

    /** @return {@code lowmem}, {@code global} or {@code node<N>} */
    public String label() {
        return switch (role) {
            case LOWMEM -> "lowmem";
            case GLOBAL -> "global";
            case NODE -> "node" + node;
        };
    }
}
