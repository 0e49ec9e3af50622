package io.kho4j.gic;

import io.kho4j.gic.internal.GicConstants;

/** Address checks shared by the table records: aligned, and the whole table below the GIC's 52-bit limit. */
final class GicChecks {
    private GicChecks() {
    }

    static void address(String what, long address, long alignment, long size) {
        if (address < 0 || (address & (alignment - 1)) != 0 || size > GicConstants.PHYS_LIMIT
                || address > GicConstants.PHYS_LIMIT - size) {
            throw new IllegalArgumentException(String.format("%s at 0x%x (0x%x bytes) must be aligned to 0x%x and"
                    + " end below 2^52", what, address, size, alignment));
        }
    }
}
