package io.kho4j.gic;

import io.kho4j.preserve.PhysRange;
import java.util.Objects;

/**
 * One piece of GIC table memory that must survive the handover, with what it is: the unit the DT
 * {@code /reserved-memory} and EFI memreserve hand-offs list.
 *
 * @param kind what the memory holds: {@code lpi-prop}, {@code lpi-pend}, {@code its-device},
 *     {@code its-collection}, {@code its-vcpu} or {@code its-l2}; usable as a DT node name
 * @param range where it is
 */
public record GicRegion(String kind, PhysRange range) {
    /** Checks for nulls. */
    public GicRegion {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(range, "range");
    }
}
