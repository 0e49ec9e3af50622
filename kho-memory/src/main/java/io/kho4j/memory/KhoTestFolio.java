package io.kho4j.memory;

/**
 * One folio of lib/test_kho.c's data: {@code folios_info[i] = phys | order} (kho-abi.md §7).
 *
 * @param phys physical address, aligned to the folio's size (so its low bits are free for the order)
 * @param order page order, below the page size's bit count
 */
public record KhoTestFolio(long phys, int order) {
    /** @throws IllegalArgumentException for a non-positive address or an order that does not fit the low bits */
    public KhoTestFolio {
        if (phys <= 0 || order < 0 || order > 30) {
            throw new IllegalArgumentException(String.format("kho_test folio phys=0x%x order=%d", phys, order));
        }
    }
}
