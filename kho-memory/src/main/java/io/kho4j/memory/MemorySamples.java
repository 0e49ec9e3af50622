package io.kho4j.memory;

import io.kho4j.host.KernelCommandLine;
import io.kho4j.preserve.PhysRange;
import io.kho4j.scratch.MachineDescription;
import io.kho4j.scratch.MemoryBank;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic sample states of this module's subsystems, for the demo, the ABI lock and tests. A demo sample
 * provider can be a thin adapter over these factories.
 */
public final class MemorySamples {
    /** The command line of the reserve_mem samples: a trace buffer and a crash-log area, both page aligned. */
    public static final String RESERVE_MEM_COMMAND_LINE = "reserve_mem=64M:2M:trace reserve_mem=1M:4096:oops";

    private MemorySamples() {
    }

    /**
     * @return the two regions of the upstream memblock example (Documentation/core-api/kho/fdt.rst, 6.16;
     *     kho-abi.md §1): {@code n1} at 0x46bc00000 and {@code n2} at 0x467c00000, 64 MiB each
     */
    public static ReserveMem reserveMemExample() {
        return ReserveMem.of(List.of(new ReserveMemRegion("n1", 0x4_6bc0_0000L, 0x400_0000L),
                new ReserveMemRegion("n2", 0x4_67c0_0000L, 0x400_0000L)));
    }

    /**
     * The regions a first boot of {@code machine} reserves for {@link #RESERVE_MEM_COMMAND_LINE}: placed top-down in
     * its RAM outside its reserved ranges, as memblock places them.
     *
     * @param machine the machine
     * @return the state to hand over
     * @throws IllegalArgumentException if the machine has too little free RAM for them
     */
    public static ReserveMem reserveMem(MachineDescription machine) {
        List<PhysRange> free = new ArrayList<>();
        for (MemoryBank b : machine.banks()) {
            free.addAll(subtract(b.range(), machine.reserved()));
        }
        try {
            return ReserveMem.allocate(ReserveMemRequest.fromCommandLine(KernelCommandLine.parse(
                    RESERVE_MEM_COMMAND_LINE)), free);
        } catch (ReserveMemParameterException e) {
            throw new IllegalArgumentException("the machine cannot hold the sample reserve_mem regions: "
                    + e.getMessage(), e);
        }
    }

    private static List<PhysRange> subtract(PhysRange range, List<PhysRange> holes) {
        List<PhysRange> out = new ArrayList<>(List.of(range));
        for (PhysRange h : holes) {
            List<PhysRange> next = new ArrayList<>();
            for (PhysRange r : out) {
                if (!r.overlaps(h)) {
                    next.add(r);
                    continue;
                }
                if (r.start() < h.start()) {
                    next.add(PhysRange.ofEnd(r.start(), h.start()));
                }
                if (h.end() < r.end()) {
                    next.add(PhysRange.ofEnd(h.end(), r.end()));
                }
            }
            out = next;
        }
        return out;
    }
}
