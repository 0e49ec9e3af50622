package io.kho4j.gic;

import io.kho4j.gic.internal.GicConstants;
import io.kho4j.preserve.PhysRange;

/**
 * One redistributor's LPI pending table ({@code GICR_PENDBASER}), one per CPU: one bit per INTID. Like the
 * property table it cannot be moved once LPIs are enabled, so the kernel reserves it across kexec
 * ({@code its_cpu_memreserve_lpi()} → {@code gic_reserve_range(paddr, LPI_PENDBASE_SZ)}, kho-abi.md §6).
 *
 * @param cpu the logical CPU whose redistributor points at the table, at least 0
 * @param address physical address, 64 KiB aligned ({@code GICR_PENDBASER_ADDRESS} bits 51:16) and below 2^52
 * @param size bytes, a positive multiple of 64 KiB ({@code LPI_PENDBASE_SZ} is rounded to {@code SZ_64K})
 */
public record LpiPendingTable(int cpu, long address, long size) {
    /** @throws IllegalArgumentException for a negative CPU, a misaligned address or size, or one past 2^52 */
    public LpiPendingTable {
        if (cpu < 0) {
            throw new IllegalArgumentException("CPU " + cpu + " is negative");
        }
        if (size <= 0 || size % GicConstants.SZ_64K != 0) {
            throw new IllegalArgumentException(String.format("CPU %d: pending table size 0x%x is not a positive"
                    + " multiple of 64 KiB", cpu, size));
        }
        GicChecks.address("CPU " + cpu + " pending table", address, GicConstants.PENDBASER_ALIGNMENT, size);
    }

    /** @return the table's memory */
    public PhysRange range() {
        return new PhysRange(address, size);
    }
}
