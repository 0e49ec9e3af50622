package io.kho4j.memory;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.host.KernelCommandLine;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.scratch.MachineDescription;
import io.kho4j.scratch.MemoryBank;
import java.util.ArrayList;
import io.kho4j.spi.PreservedAllocator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * A LUO state with fixed addresses from 4 GiB up, writable for every generation that has LUO: session
     * {@code vm-42} with a three-page memfd (an order-0 and an order-1 folio) and an opaque iommufd file, session
     * {@code cache} with a one-page memfd, and one FLB.
     *
     * @return the state
     */
    public static LuoState luoExample() {
        long base = 1L << 32;
        MemfdFile guest = new MemfdFile(100, 3 * 4096 - 10, 0, 0, List.of(
                new MemfdFolio(base, 0, 0, MemfdFolio.DIRTY | MemfdFolio.UPTODATE),
                new MemfdFolio(base + 0x2000, 1, 1, MemfdFolio.UPTODATE)));
        MemfdFile cache = new MemfdFile(0, 4096, 0, 0, List.of(new MemfdFolio(base + 0x1000, 0, 0,
                MemfdFolio.DIRTY | MemfdFolio.UPTODATE)));
        return new LuoState(3, List.of(
                new LuoSession("vm-42", List.of(new LuoFile(1, guest), new LuoFile(2, new OpaqueFile("iommufd-v1",
                        base + 0x10_0000)))),
                new LuoSession("cache", List.of(new LuoFile(7, cache)))),
                Optional.of(List.of(new LuoFlb("iommu-core-v1", base + 0x20_0000, 1))));
    }

    /**
     * A LUO state whose memfd contents really are in {@code memory}: what a host agent preserves before a live
     * update on a kernel of {@code generation}. Seals appear from 7.1 ({@code memfd-v2}); the FLB table is written
     * for every generation with LUO (7.0 and 7.1 readers require its node, 6.19 ignores it).
     *
     * @param generation the handover's generation
     * @param memory where the memfd folios go
     * @return the state
     * @throws IllegalArgumentException for a generation without LUO (before 6.19)
     * @throws PhysicalMemoryException if memory runs out
     */
    public static LuoState luo(AbiGeneration generation, PreservedAllocator memory) throws PhysicalMemoryException {
        if (new LuoSubsystem().versionFor(generation).isEmpty()) {
            throw new IllegalArgumentException(generation + " kernels have no LUO (it came in 6.19)");
        }
        int seals = LuoSubsystem.memfdVersion(generation).equals(MemfdFile.V2) ? 0x0f : 0;
        byte[] guestRam = text("guest RAM page ", 3 * memory.pageSize() - 10);
        byte[] cache = text("cache entry ", memory.pageSize() / 2);
        return new LuoState(1, List.of(
                new LuoSession("vm-42", List.of(new LuoFile(1, MemfdFile.place(memory, guestRam, 100, seals)))),
                new LuoSession("cache", List.of(new LuoFile(7, MemfdFile.place(memory, cache, 0, 0))))),
                Optional.of(List.of()));
    }

    /**
     * @return a test_kho state with fixed addresses from 4 GiB: an order-0, an order-2 and an order-4 folio, and a
     *     recorded checksum (the folios' contents are not part of the handover, only their addresses)
     */
    public static KhoTestState khoTestExample() {
        long base = 1L << 32;
        return new KhoTestState(List.of(new KhoTestFolio(base, 0), new KhoTestFolio(base + 0x4000, 2),
                new KhoTestFolio(base + 0x1_0000, 4)), 0x5a5a1234);
    }

    /**
     * What lib/test_kho.c prepares on a first boot, with 1 MiB of random folios really in {@code memory}.
     *
     * @param memory where the folios go
     * @param seed the random seed
     * @param arch the successor's {@code csum_partial}
     * @return the state
     * @throws PhysicalMemoryException if memory runs out
     */
    public static KhoTestState khoTest(PreservedAllocator memory, long seed, CsumPartial.Arch arch)
            throws PhysicalMemoryException {
        return KhoTestState.generate(memory, new java.util.SplittableRandom(seed), 1 << 20, arch);
    }

    /**
     * @return two guests at fixed addresses from 4 GiB: {@code web-1} with 16 MiB in two ranges and VMM metadata,
     *     {@code batch-7} with 8 MiB and none
     */
    public static GuestRam guestRamExample() {
        long base = 1L << 32;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("tenant", "blue");
        labels.put("zone", "a");
        VmmMetadata vmm = new VmmMetadata("cloud-hypervisor", "44.0", 4, labels, new byte[] {1, 2, 3});
        return new GuestRam(List.of(
                new GuestVm(1, "web-1", List.of(new PhysRange(base + 0x100_0000, 0x80_0000),
                        new PhysRange(base + 0x400_0000, 0x80_0000)), Optional.of(vmm)),
                new GuestVm(7, "batch-7", List.of(new PhysRange(base + 0x800_0000, 0x80_0000)), Optional.empty())));
    }

    /**
     * Guests whose RAM is allocated from {@code memory}, as a VM host would hand them over.
     *
     * @param memory where the guests' RAM goes
     * @return two guests of 2 MiB each, one with VMM metadata
     * @throws PhysicalMemoryException if memory runs out
     */
    public static GuestRam guestRam(PreservedAllocator memory) throws PhysicalMemoryException {
        int order = memory.orderFor(2 << 20);
        long a = memory.allocateFolio(order);
        long b = memory.allocateFolio(order);
        long size = (long) memory.pageSize() << order;
        VmmMetadata vmm = new VmmMetadata("qemu", "9.2", 2, Map.of("role", "web"), new byte[0]);
        return new GuestRam(List.of(new GuestVm(1, "web-1", List.of(new PhysRange(a, size)), Optional.of(vmm)),
                new GuestVm(2, "db-1", List.of(new PhysRange(b, size)), Optional.empty())));
    }

    private static byte[] text(String line, int length) {
        byte[] out = new byte[length];
        byte[] l = line.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < length; i++) {
            out[i] = l[i % l.length];
        }
        return out;
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
