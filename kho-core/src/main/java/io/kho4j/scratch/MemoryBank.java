package io.kho4j.scratch;

import io.kho4j.preserve.PhysRange;
import java.util.Objects;

/**
 * A range of RAM and the NUMA node it belongs to.
 *
 * @param range the addresses
 * @param node the node id, at least 0
 */
public record MemoryBank(PhysRange range, int node) {
    /** @throws IllegalArgumentException for a negative node */
    public MemoryBank {
        Objects.requireNonNull(range, "range");
        if (node < 0) {
            throw new IllegalArgumentException("negative node " + node);
        }
    }
}
