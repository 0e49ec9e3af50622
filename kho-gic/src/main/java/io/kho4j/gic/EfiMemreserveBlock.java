package io.kho4j.gic;

import io.kho4j.gic.internal.GicConstants;
import io.kho4j.preserve.PhysRange;
import java.util.List;

/**
 * One {@code struct linux_efi_memreserve} of the list (include/linux/efi.h, kho-abi.md §6) as read or written.
 *
 * @param address physical address of the struct
 * @param size the {@code size} field: entries the allocation holds ({@code EFI_MEMRESERVE_COUNT}); 0 for the root
 *     the EFI stub installs
 * @param next the {@code next} field: physical address of the next struct, 0 at the end
 * @param entries the {@code count} used entries, in index order
 */
public record EfiMemreserveBlock(long address, int size, long next, List<PhysRange> entries) {
    /** @throws IllegalArgumentException if more entries than {@code size} */
    public EfiMemreserveBlock {
        entries = List.copyOf(entries);
        if (size < 0 || entries.size() > size) {
            throw new IllegalArgumentException("memreserve block of size " + size + " cannot hold " + entries.size()
                    + " entries");
        }
    }

    /** @return the {@code count} field */
    public int count() {
        return entries.size();
    }

    /**
     * @return the memory the successor reserves for the struct itself, {@code struct_size(rsv, entry, rsv->size)}
     *     (drivers/firmware/efi/efi.c, efi_config_parse_tables)
     */
    public PhysRange footprint() {
        return new PhysRange(address, GicConstants.MEMRESERVE_HEADER_BYTES
                + (long) size * GicConstants.MEMRESERVE_ENTRY_BYTES);
    }
}
