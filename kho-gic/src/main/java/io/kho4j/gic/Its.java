package io.kho4j.gic;

import io.kho4j.gic.internal.GicConstants;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One ITS and the tables its {@code GITS_BASER<n>} registers point at.
 *
 * @param base physical address of the ITS register frame ({@code GITS_CTLR} at offset 0), 64 KiB aligned: the ITS
 *     is found again by it
 * @param tables the tables, at most one per register and one per type
 */
public record Its(long base, List<ItsTable> tables) {
    /** @throws IllegalArgumentException for a misaligned base or a register or type used twice */
    public Its {
        tables = List.copyOf(tables);
        GicChecks.address("ITS frame", base, GicConstants.SZ_64K, GicConstants.SZ_64K);
        Set<Integer> registers = new HashSet<>();
        Set<ItsTableType> types = new HashSet<>();
        for (ItsTable t : tables) {
            if (!registers.add(t.baser()) || !types.add(t.type())) {
                throw new IllegalArgumentException(String.format("ITS 0x%x: GITS_BASER%d or a %s table appears twice",
                        base, t.baser(), t.type().label()));
            }
        }
    }
}
