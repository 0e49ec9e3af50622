package io.kho4j.gic;

import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The GICv3 memory a kernel must find again after kexec: the shared LPI property table, one LPI pending table per
 * CPU, and the tables of each ITS. Immutable and validated as a whole: CPUs and ITS frames are unique, every
 * pending table holds {@link LpiPropertyTable#pendingSize the bits the id bits need}, and no two tables overlap.
 *
 * @param propertyTable the property table ({@code GICR_PROPBASER}, shared by all redistributors)
 * @param pendingTables the pending tables ({@code GICR_PENDBASER}), in the order written
 * @param its the ITSes, in the order written
 */
public record GicState(LpiPropertyTable propertyTable, List<LpiPendingTable> pendingTables, List<Its> its) {
    /** @throws IllegalArgumentException for a repeated CPU or ITS, a short pending table, or overlapping tables */
    public GicState {
        Objects.requireNonNull(propertyTable, "propertyTable");
        pendingTables = List.copyOf(pendingTables);
        its = List.copyOf(its);
        long needed = LpiPropertyTable.pendingSize(propertyTable.idBits());
        Set<Integer> cpus = new HashSet<>();
        for (LpiPendingTable p : pendingTables) {
            if (!cpus.add(p.cpu())) {
                throw new IllegalArgumentException("CPU " + p.cpu() + " has two pending tables");
            }
            if (p.size() < needed) {
                throw new IllegalArgumentException(String.format("CPU %d: pending table of 0x%x bytes is smaller than"
                        + " LPI_PENDBASE_SZ 0x%x for %d id bits", p.cpu(), p.size(), needed, propertyTable.idBits()));
            }
        }
        Set<Long> frames = new HashSet<>();
        for (Its i : its) {
            if (!frames.add(i.base())) {
                throw new IllegalArgumentException(String.format("ITS 0x%x appears twice", i.base()));
            }
        }
        List<GicRegion> regions = regions(propertyTable, pendingTables, its);
        List<GicRegion> sorted = new ArrayList<>(regions);
        sorted.sort((a, b) -> a.range().compareTo(b.range()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).range().overlaps(sorted.get(i).range())) {
                throw new IllegalArgumentException("GIC tables overlap: " + sorted.get(i - 1) + " and " + sorted.get(i));
            }
        }
    }

    /**
     * @return every table's memory in a fixed order: property table, pending tables, then per ITS each register's
     *     table followed by its level-2 pages
     */
    public List<GicRegion> regions() {
        return regions(propertyTable, pendingTables, its);
    }

    private static List<GicRegion> regions(LpiPropertyTable prop, List<LpiPendingTable> pending, List<Its> its) {
        List<GicRegion> out = new ArrayList<>();
        out.add(new GicRegion("lpi-prop", prop.range()));
        pending.forEach(p -> out.add(new GicRegion("lpi-pend", p.range())));
        for (Its i : its) {
            for (ItsTable t : i.tables()) {
                out.add(new GicRegion("its-" + t.type().label(), t.range()));
                t.level2Tables().forEach(a -> out.add(new GicRegion("its-l2",
                        new PhysRange(a, t.pageSize()))));
            }
        }
        return out;
    }
}
