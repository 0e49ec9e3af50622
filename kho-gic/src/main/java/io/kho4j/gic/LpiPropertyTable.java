package io.kho4j.gic;

import io.kho4j.gic.internal.GicConstants;
import io.kho4j.preserve.PhysRange;

/**
 * The LPI configuration (property) table that every redistributor's {@code GICR_PROPBASER} points at: one byte
 * per LPI. Its address can be programmed only once per CPU reset (kho-abi.md §6), which is why a successor kernel
 * must get the same memory back.
 *
 * @param address physical address, 4 KiB aligned ({@code GICR_PROPBASER_ADDRESS} bits 51:12,
 *     include/linux/irqchip/arm-gic-v3.h) and below 2^52
 * @param idBits INTID bits, 14 to 32 ({@code GICR_PROPBASER.IDbits} + 1; LPIs start at 8192)
 */
public record LpiPropertyTable(long address, int idBits) {
    /** @throws IllegalArgumentException for a misaligned or too high address, or id bits out of range */
    public LpiPropertyTable {
        if (idBits < GicConstants.MIN_LPI_ID_BITS || idBits > GicConstants.MAX_LPI_ID_BITS) {
            throw new IllegalArgumentException("LPI id bits must be " + GicConstants.MIN_LPI_ID_BITS + " to "
                    + GicConstants.MAX_LPI_ID_BITS + ", not " + idBits);
        }
        GicChecks.address("LPI property table", address, GicConstants.PROPBASER_ALIGNMENT, size(idBits));
    }

    /**
     * @param idBits INTID bits
     * @return {@code LPI_PROPBASE_SZ = ALIGN(BIT(lpi_id_bits), SZ_64K)} (drivers/irqchip/irq-gic-v3-its.c)
     */
    public static long size(int idBits) {
        return GicConstants.alignUp(1L << idBits, GicConstants.SZ_64K);
    }

    /**
     * @param idBits INTID bits
     * @return {@code LPI_PENDBASE_SZ = ALIGN(BIT(lpi_id_bits) / 8, SZ_64K)} (drivers/irqchip/irq-gic-v3-its.c): the
     *     least a pending table must hold for this many id bits
     */
    public static long pendingSize(int idBits) {
        return GicConstants.alignUp((1L << idBits) / 8, GicConstants.SZ_64K);
    }

    /** @return the table's memory as the kernel allocates it */
    public PhysRange range() {
        return new PhysRange(address, size(idBits));
    }
}
