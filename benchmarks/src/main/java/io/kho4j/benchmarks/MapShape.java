package io.kho4j.benchmarks;

import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import io.kho4j.preserve.PreservedMemoryMap;

/**
 * The preserved-memory maps of issue 4's proof, in 4 KiB pages unless a page size is given. Both leave the
 * gigabyte above {@link #preservedEnd()} free for the map's own pages.
 */
public enum MapShape {
    /**
     * Every other page of 1 TiB: with 4 KiB pages 128 Mi order-0 blocks, none of which can merge into a larger
     * order (the worst case for the map's size: 32 MiB of order-0 bitmap); 8 MiB with 16 KiB, 2 MiB with 64 KiB.
     */
    TIB_ALTERNATE_PAGES {
        @Override
        PreservedMemoryMap build(PageSize pageSize) {
            PreservedMemoryMap.Builder b = PreservedMemoryMap.builder(pageSize);
            for (long phys = 0; phys < TIB; phys += 2L * pageSize.bytes()) {
                b.addBlock(phys, 0);
            }
            return b.build();
        }

        @Override
        long preservedEnd() {
            return TIB;
        }
    },
    /**
     * A VM host (DESIGN.md §7): {@value #GUESTS} guests of 16 GiB, each preserved whole in 2 MiB folios
     * (order 9 with 4 KiB pages), above 4 GiB of host memory in which one page in every 256 KiB is preserved
     * (the noise of small kernel allocations: 16,384 order-0 blocks).
     */
    VM_HOST_MIXED {
        @Override
        PreservedMemoryMap build(PageSize pageSize) {
            PreservedMemoryMap.Builder b = PreservedMemoryMap.builder(pageSize);
            for (long phys = 0; phys < GUESTS_BASE; phys += NOISE_STRIDE) {
                b.addBlock(phys, 0);
            }
            int folioOrder = FOLIO_SHIFT - pageSize.shift();
            for (int g = 0; g < GUESTS; g++) {
                b.addBlocks(new PhysRange(GUESTS_BASE + g * GUEST_BYTES, GUEST_BYTES), folioOrder);
            }
            return b.build();
        }

        @Override
        long preservedEnd() {
            return GUESTS_BASE + GUESTS * GUEST_BYTES;
        }
    };

    static final PageSize PAGE_SIZE = PageSize.KIB_4;
    static final long TIB = 1L << 40;
    /** Guests of the VM-host shape. */
    static final int GUESTS = 100;
    static final long GUEST_BYTES = 16L << 30;
    static final long GUESTS_BASE = 4L << 30;
    /** 2 MiB folios. */
    static final int FOLIO_SHIFT = 21;
    static final long NOISE_STRIDE = 256L << 10;
    /** Room for the map's own pages, above the preserved memory. */
    static final long MAP_AREA_BYTES = 1L << 30;

    /** @param pageSize the page size orders count in @return the map, built anew */
    abstract PreservedMemoryMap build(PageSize pageSize);

    /** @return the map in 4 KiB pages, built anew */
    PreservedMemoryMap build() {
        return build(PAGE_SIZE);
    }

    /** @return the end of the highest preserved block; the map's pages go above it */
    abstract long preservedEnd();

    /** @return the RAM: the preserved memory and the map area above it */
    PhysRange ram() {
        return new PhysRange(0, preservedEnd() + MAP_AREA_BYTES);
    }
}
