package io.kho4j.spi;

import io.kho4j.preserve.PhysRange;
import java.util.Objects;

/**
 * Memory a subsystem asks the handover to preserve: a page range ({@code kho_preserve_pages}, split by the
 * kernel into naturally aligned blocks) or one folio of a given order ({@code kho_preserve_folio}, restored as a
 * single compound page). Both must be page aligned (kho-abi.md §2, §8).
 *
 * @param range the physical range
 * @param folioOrder the folio's order, or -1 for a page range
 */
public record Preservation(PhysRange range, int folioOrder) {
    /** @throws IllegalArgumentException for an order below -1 */
    public Preservation {
        Objects.requireNonNull(range, "range");
        if (folioOrder < -1) {
            throw new IllegalArgumentException("folio order " + folioOrder);
        }
    }

    /** @return whether this is a folio rather than a page range */
    public boolean isFolio() {
        return folioOrder >= 0;
    }
}
