package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.KernelRelease;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.host.SimulatedMachine;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import io.kho4j.preserve.PreservedBlock;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HandoverBuilderTest {
    private static final long G = 1L << 30;
    private static final SimulatedMachine X86 = SimulatedMachine.builder(
            TestHandovers.target(AbiGeneration.KHO_V4_BLOCKS, Arch.X86_64)).build();

    /** Preserves one range, or throws what it is told to. */
    private record Preserver(String name, PhysRange range) implements SubsystemSerializer<String> {
        @Override
        public List<CompatibleString> writes() {
            return List.of(CompatibleString.of("kho4j,preserver-v1"));
        }

        @Override
        public void write(String state, SubtreeWriter out) {
            if (state.equals("refuse")) {
                throw new IllegalArgumentException("cannot express " + state);
            }
            out.compatible().preserve(range);
        }
    }

    private static HandoverBuilder builder(SimulatedMachine m, PhysicalMemory memory) throws HandoverBuildException {
        return HandoverBuilder.create(m.target(), m.description(), m.commandLine(), memory, true);
    }

    private static HandoverBuildException.Kind refusal(SimulatedMachine m, SubsystemSerializer<String> s, String state) {
        return assertThrows(HandoverBuildException.class, () -> builder(m, PhysicalMemory.sparse(List.of(m.ram())))
                .add(s, state, "").load(m.kernelBytes(), m.initrdBytes())).kind();
    }

    @Test
    void incompatibleKernelsAreRefusedWithoutOneWriteToMemory() {
        AtomicLong writes = new AtomicLong();
        SimulatedMachine m = SimulatedMachine.builder(new HandoverTarget(KernelRelease.of(6, 17, 8),
                KernelRelease.of(6, 17, 9), AbiGeneration.KHO_V1_BITMAP512, PageSize.KIB_4, Arch.X86_64)).build();
        PhysicalMemory counting = new PhysicalMemory() {
            private final PhysicalMemory inner = PhysicalMemory.sparse(List.of(m.ram()));

            @Override
            public List<PhysRange> ram() {
                return inner.ram();
            }

            @Override
            public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
                inner.read(phys, dst, offset, length);
            }

            @Override
            public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
                writes.incrementAndGet();
                inner.write(phys, src, offset, length);
            }
        };
        HandoverBuildException e = assertThrows(HandoverBuildException.class, () -> builder(m, counting));
        assertEquals(HandoverBuildException.Kind.INCOMPATIBLE_KERNELS, e.kind());
        assertTrue(e.getMessage().contains("512-byte vs 4096-byte"), e.getMessage());
        assertEquals(0, writes.get());
    }

    @Test
    void khoOffOrScratchThatCannotBePlacedIsRefused() {
        HandoverTarget t = X86.target();
        for (String[] c : new String[][] {{"console=ttyS0", "KHO_DISABLED"},
            {"kho=on kho_bootmem=16M,512G,256M", "SCRATCH_INFEASIBLE"}}) {
            SimulatedMachine m = SimulatedMachine.builder(t).commandLine(c[0]).build();
            assertEquals(c[1], assertThrows(HandoverBuildException.class,
                    () -> builder(m, PhysicalMemory.sparse(List.of(m.ram())))).kind().name());
        }
    }

    @Test
    void preservationsInScratchOutsideRamOrTwiceAreRefused() throws Exception {
        HandoverBuilder probe = builder(X86, PhysicalMemory.sparse(List.of(X86.ram())));
        long lowmem = probe.plan().areas().get(0).address();
        assertEquals(HandoverBuildException.Kind.PRESERVATION_INVALID,
                refusal(X86, new Preserver("in-scratch", new PhysRange(lowmem, 4096)), "x"));
        assertEquals(HandoverBuildException.Kind.PRESERVATION_INVALID,
                refusal(X86, new Preserver("beyond-ram", new PhysRange(X86.ram().end(), 4096)), "x"));
        HandoverBuilder twice = builder(X86, PhysicalMemory.sparse(List.of(X86.ram())));
        twice.add(new Preserver("a", new PhysRange(8 * G, 4096)), "x", "").add(new Preserver("b",
                new PhysRange(8 * G, 4096)), "x", "");
        HandoverBuildException e = assertThrows(HandoverBuildException.class, twice::finalizeState);
        assertEquals(HandoverBuildException.Kind.PRESERVATION_INVALID, e.kind());
        assertTrue(e.getMessage().contains("subsystem \"b\""), e.getMessage());
    }

    @Test
    void serializerFailuresAndDuplicateNamesAreRefused() {
        assertEquals(HandoverBuildException.Kind.SERIALIZER_FAILED,
                refusal(X86, new Preserver("p", new PhysRange(8 * G, 4096)), "refuse"));
        assertThrows(IllegalArgumentException.class, () -> builder(X86, PhysicalMemory.sparse(List.of(X86.ram())))
                .add(new Preserver("p", new PhysRange(8 * G, 4096)), "x", "")
                .add(new Preserver("p", new PhysRange(9 * G, 4096)), "x", ""));
    }

    @Test
    void aKernelLargerThanScratchDoesNotLoad() {
        SimulatedMachine huge = SimulatedMachine.builder(X86.target()).kernel(2 * G, 0).build();
        HandoverBuildException e = assertThrows(HandoverBuildException.class,
                () -> TestHandovers.build(huge, b -> { }));
        assertEquals(HandoverBuildException.Kind.SEGMENTS_DO_NOT_FIT, e.kind());
        assertTrue(e.details().get(0).startsWith("kernel"), e.details().toString());
    }

    /** 4 nodes of 3 GiB; [8 GiB, 10 GiB) crosses the node boundary at 9 GiB. */
    @Test
    void from71PreservationsAreSplitAtNumaNodeBoundaries() throws Exception {
        PhysRange across = new PhysRange(8 * G, 2 * G);
        for (String release : List.of("6.18.0", "7.1.0")) {
            KernelRelease r = KernelRelease.parse(release);
            SimulatedMachine m = SimulatedMachine.builder(HandoverTarget.releases(r, r, PageSize.KIB_4, Arch.X86_64))
                    .ram(0, 12 * G).nodes(4).commandLine("kho=on kho_scratch=16M,512M,0").build();
            TestHandovers.Built b = TestHandovers.build(m, x -> x.add(new Preserver("span", across), "x", ""));
            boolean split = release.startsWith("7");
            assertEquals(split, b.handover().map().contains(new PreservedBlock(8 * G, 18)), release);
            assertEquals(split, b.handover().map().contains(new PreservedBlock(9 * G, 18)), release);
            assertEquals(!split, b.handover().map().contains(new PreservedBlock(8 * G, 19)), release);
            List<String> failures = b.read().orThrow().failures();
            assertEquals(1, failures.size(), failures.toString());
            assertTrue(failures.get(0).startsWith("subsystem span NO_RESTORER"), "the test has no restorer for it");
        }
    }

    @Test
    void blobsFoliosAndMapPagesLieOutsideScratchAndEveryBlobPageIsPreserved() throws Exception {
        TestHandovers.Built b = TestHandovers.build(X86, x -> { });
        for (var region : b.handover().regions()) {
            PhysRange r = new PhysRange(region.getPhys(), region.getSize());
            boolean inScratch = b.handover().plan().areas().stream().anyMatch(a -> a.overlaps(r));
            boolean segment = List.of("KERNEL", "INITRD", "SCRATCH_ARRAY", "HAND_OFF").contains(region.getKind());
            assertEquals(segment, inScratch, region.toString());
            assertEquals(0, r.start() % 4096, "page aligned: " + region);
            if (region.getKind().equals("BLOB") || region.getKind().equals("FOLIO")) {
                assertTrue(b.handover().map().firstIntersecting(r).isPresent(), "preserved: " + region);
            }
        }
        assertFalse(b.handover().map().firstIntersecting(new PhysRange(b.handover().manifest().getMemoryMapRoot(),
                4096)).isPresent(), "map pages are not preserved (kho-abi.md §2)");
    }

    @Test
    void sampleProvidersSeeTheTargetsArchitecture() throws Exception {
        SimulatedMachine arm = SimulatedMachine.builder(TestHandovers.target(AbiGeneration.KHO_V4_BLOCKS, Arch.ARM64))
                .build();
        assertEquals(Arch.ARM64, builder(arm, PhysicalMemory.sparse(List.of(arm.ram()))).sampleMachine().arch());
        assertEquals(Arch.X86_64, builder(X86, PhysicalMemory.sparse(List.of(X86.ram()))).sampleMachine().arch());
    }
}
