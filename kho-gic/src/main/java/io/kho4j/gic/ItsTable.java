package io.kho4j.gic;

import io.kho4j.gic.internal.GicConstants;
import io.kho4j.preserve.PhysRange;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One ITS table as a {@code GITS_BASER<n>} register describes it (include/linux/irqchip/arm-gic-v3.h): type,
 * entry size, ITS page size, flat or two-level (indirect), and where it is. For an indirect table the register's
 * memory is the level-1 table of 8-byte entries ({@code GITS_LVL1_ENTRY_SIZE}), each pointing at one level-2 page
 * of one ITS page; those pages are listed here because they must survive too.
 *
 * @param baser the register index, 0 to 7 ({@code GITS_BASER_NR_REGS})
 * @param type the table type
 * @param entrySize bytes per entry, 1 to 32 ({@code GITS_BASER_ENTRY_SIZE}: a 5-bit field plus one)
 * @param pageSize the ITS page size: 4, 16 or 64 KiB ({@code GITS_BASER_PAGE_SIZE_4K/16K/64K})
 * @param indirect whether the table is two-level ({@code GITS_BASER_INDIRECT})
 * @param address physical address, aligned to the ITS page size, below 2^52
 * @param size bytes: 1 to 256 ITS pages ({@code GITS_BASER_PAGES_MAX})
 * @param level2Tables addresses of level-2 pages of an indirect table, each one ITS page, aligned to it, at most
 *     one per level-1 entry; empty for a flat table
 */
public record ItsTable(int baser, ItsTableType type, int entrySize, int pageSize, boolean indirect, long address,
        long size, List<Long> level2Tables) {

    /** @throws IllegalArgumentException for any field outside what the register can express */
    public ItsTable {
        Objects.requireNonNull(type, "type");
        level2Tables = List.copyOf(level2Tables);
        String what = "GITS_BASER" + baser;
        if (baser < 0 || baser >= GicConstants.GITS_BASER_NR_REGS) {
            throw new IllegalArgumentException(what + ": register index must be 0 to "
                    + (GicConstants.GITS_BASER_NR_REGS - 1));
        }
        if (entrySize < 1 || entrySize > GicConstants.GITS_BASER_MAX_ENTRY_SIZE) {
            throw new IllegalArgumentException(what + ": entry size " + entrySize + " is not 1 to "
                    + GicConstants.GITS_BASER_MAX_ENTRY_SIZE);
        }
        if (pageSize != 4096 && pageSize != 16384 && pageSize != 65536) {
            throw new IllegalArgumentException(what + ": ITS page size " + pageSize + " is not 4, 16 or 64 KiB");
        }
        if (size <= 0 || size % pageSize != 0 || size / pageSize > GicConstants.GITS_BASER_PAGES_MAX) {
            throw new IllegalArgumentException(String.format("%s: size 0x%x is not 1 to %d pages of 0x%x", what, size,
                    GicConstants.GITS_BASER_PAGES_MAX, pageSize));
        }
        GicChecks.address(what + " " + type.label() + " table", address, pageSize, size);
        if (!indirect && !level2Tables.isEmpty()) {
            throw new IllegalArgumentException(what + ": a flat table has no level-2 pages");
        }
        if (level2Tables.size() > size / GicConstants.GITS_LVL1_ENTRY_SIZE) {
            throw new IllegalArgumentException(what + ": " + level2Tables.size() + " level-2 pages but only "
                    + size / GicConstants.GITS_LVL1_ENTRY_SIZE + " level-1 entries");
        }
        Set<Long> seen = new HashSet<>();
        for (long l2 : level2Tables) {
            GicChecks.address(what + " level-2 page", l2, pageSize, pageSize);
            if (!seen.add(l2)) {
                throw new IllegalArgumentException(String.format("%s: level-2 page 0x%x listed twice", what, l2));
            }
        }
    }

    /** @return the register's table (the level-1 table if indirect) */
    public PhysRange range() {
        return new PhysRange(address, size);
    }
}
