package io.kho4j.scratch;

import io.kho4j.preserve.PhysRange;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code kho_reserve_scratch} puts the scratch areas on a described machine (kho-abi.md §3, §9.5): the
 * array itself ({@code memblock_alloc(count * 16, PAGE_SIZE)}), then lowmem below the arch low limit, global,
 * and one area per node, each placed top-down by memblock. Like the kernel, the first area that cannot be
 * placed ends the plan: the kernel then frees what it took and disables KHO; {@link #failure()} says which
 * area and why.
 */
public final class ScratchPlan {
    private final ScratchRules rules;
    private final boolean enabled;
    private final long lowmemSize;
    private final long globalSize;
    private final List<ScratchArea> areas;
    private final long arrayAddress;
    private final int arrayEntries;
    private final String failure;
    private final List<String> notes;

    private ScratchPlan(ScratchRules rules, boolean enabled, long lowmemSize, long globalSize, List<ScratchArea> areas,
            long arrayAddress, int arrayEntries, String failure, List<String> notes) {
        this.rules = rules;
        this.enabled = enabled;
        this.lowmemSize = lowmemSize;
        this.globalSize = globalSize;
        this.areas = List.copyOf(areas);
        this.arrayAddress = arrayAddress;
        this.arrayEntries = arrayEntries;
        this.failure = failure;
        this.notes = List.copyOf(notes);
    }

    /**
     * @param machine the machine
     * @param cmdline its parsed KHO parameters
     * @param rules the release's rules
     * @param enabledByDefault {@code CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT} (6.16 has no such option: false)
     * @return the plan
     */
    public static ScratchPlan plan(MachineDescription machine, KhoCommandLine cmdline, ScratchRules rules,
            boolean enabledByDefault) {
        List<String> notes = new ArrayList<>(cmdline.problems());
        if (!cmdline.enabled().orElse(enabledByDefault)) {
            notes.add(cmdline.enabled().isPresent() ? "KHO is disabled by kho=" : "KHO is off: add kho=on");
            return new ScratchPlan(rules, false, 0, 0, List.of(), -1, 0, null, notes);
        }
        long align = rules.alignment();
        long lowmem;
        long global;
        long perNodeExplicit = 0;
        long scale = 0;
        if (cmdline.sizes() instanceof ScratchSizes.Scale s && s.percent() != 0) {
            scale = s.percent();
            lowmem = roundUp(scaled(machine.kernelReservedBytes(machine.lowLimit(), -1), scale), align);
            // unsigned arithmetic as in scratch_size_update(): a lowmem share above the scaled total wraps
            global = roundUp(scaled(machine.kernelReservedBytes(Long.MAX_VALUE, -1), scale) - lowmem, align);
        } else {
            ScratchSizes.Explicit e = cmdline.sizes() instanceof ScratchSizes.Explicit x ? x
                    : new ScratchSizes.Explicit(0, 0, 0);
            lowmem = rules.roundExplicitSizes() ? roundUp(e.lowmem(), align) : e.lowmem();
            global = rules.roundExplicitSizes() ? roundUp(e.global(), align) : e.global();
            perNodeExplicit = roundUp(e.perNode(), align);
        }
        Collection<Integer> nodes = rules.skipMemorylessNodes() ? machine.nodesWithMemory() : machine.onlineNodes();
        int entries = nodes.size() + 2;
        Memblock memblock = new Memblock(machine);
        List<ScratchArea> areas = new ArrayList<>();
        long array = memblock.allocate((long) entries * ScratchArray.ENTRY_BYTES, machine.pageSize().bytes(), 0,
                machine.allocLimit(), -1);
        if (array < 0) {
            return failed(rules, lowmem, global, areas, -1, entries, "no page left for the scratch array", notes);
        }
        long addr = memblock.allocate(lowmem, align, 0, machine.lowLimit(), -1);
        if (addr < 0) {
            return failed(rules, lowmem, global, areas, array, entries, String.format(
                    "cannot place the lowmem area: no free 0x%x bytes aligned to 0x%x below 0x%x", lowmem, align,
                    machine.lowLimit()), notes);
        }
        areas.add(new ScratchArea(ScratchArea.Role.LOWMEM, -1, addr, lowmem));
        addr = memblock.allocate(global, align, 0, machine.allocLimit(), -1);
        if (addr < 0) {
            return failed(rules, lowmem, global, areas, array, entries, String.format(
                    "cannot place the global area: no free 0x%x bytes aligned to 0x%x", global, align), notes);
        }
        areas.add(new ScratchArea(ScratchArea.Role.GLOBAL, -1, addr, global));
        for (int node : nodes) {
            long size = scale != 0 ? roundUp(scaled(machine.kernelReservedBytes(Long.MAX_VALUE, node), scale), align)
                    : perNodeExplicit;
            addr = memblock.allocate(size, align, 0, machine.allocLimit(), node);
            if (addr < 0) {
                String why = machine.nodesWithMemory().contains(node)
                        ? String.format("no free 0x%x bytes aligned to 0x%x on node %d", size, align, node)
                        : String.format("node %d has no memory; kernels before 7.1 still give every online node "
                                + "an area and fail here", node);
                return failed(rules, lowmem, global, areas, array, entries,
                        "cannot place the node" + node + " area: " + why, notes);
            }
            areas.add(new ScratchArea(ScratchArea.Role.NODE, node, addr, size));
        }
        return new ScratchPlan(rules, true, lowmem, global, areas, array, entries, null, notes);
    }

    private static ScratchPlan failed(ScratchRules rules, long lowmem, long global, List<ScratchArea> areas,
            long array, int entries, String why, List<String> notes) {
        return new ScratchPlan(rules, true, lowmem, global, areas, array, entries,
                why + "; the kernel frees the areas it placed and disables kexec handover", notes);
    }

    /** {@code size * scale / 100} in u64 arithmetic. */
    private static long scaled(long size, long scale) {
        return Long.divideUnsigned(size * scale, 100);
    }

    /** The kernel's {@code round_up} on u64, including its wrap to 0 just below 2^64. */
    static long roundUp(long value, long align) {
        return ((value - 1) | (align - 1)) + 1;
    }

    /** @return the rules the plan follows */
    public ScratchRules rules() {
        return rules;
    }

    /** @return whether KHO is on for this command line */
    public boolean enabled() {
        return enabled;
    }

    /** @return whether KHO is on and every area was placed */
    public boolean feasible() {
        return enabled && failure == null;
    }

    /** @return why placement failed, if it did */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** @return the lowmem size after rounding (u64: may be a wrapped value in the percentage form) */
    public long lowmemSize() {
        return lowmemSize;
    }

    /** @return the global size after rounding */
    public long globalSize() {
        return globalSize;
    }

    /** @return the placed areas in array order (fewer than {@link #arrayEntries()} after a failure) */
    public List<ScratchArea> areas() {
        return areas;
    }

    /**
     * @return the non-empty areas as ranges: what a {@link io.kho4j.preserve.BumpPageAllocator} must exclude
     *     when it hands out map pages
     */
    public List<PhysRange> areaRanges() {
        return areas.stream().filter(a -> a.size() > 0).map(a -> new PhysRange(a.address(), a.size())).toList();
    }

    /** @return where memblock put the array, or -1 */
    public long arrayAddress() {
        return arrayAddress;
    }

    /** @return the array's entries: nodes + 2 */
    public int arrayEntries() {
        return arrayEntries;
    }

    /** @return command-line problems and other remarks */
    public List<String> notes() {
        return notes;
    }

    /**
     * @param order the CPU's byte order
     * @return the {@code struct kho_scratch[]} bytes of a feasible plan
     * @throws IllegalStateException if the plan is not feasible
     */
    public byte[] arrayBytes(ByteOrder order) {
        if (!feasible()) {
            throw new IllegalStateException("no scratch array: " + failure().orElse("KHO is disabled"));
        }
        return ScratchArray.encode(areas, order);
    }
}
