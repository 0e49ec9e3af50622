package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.KernelRelease;
import io.kho4j.abi.RootLayout;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.handover.InboundOutcome.DropReason;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.SimulatedMachine;
import io.kho4j.preserve.PageSize;
import io.kho4j.proto.HandOff;
import io.kho4j.proto.Region;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemRegistry;
import io.kho4j.testsupport.SampleSubsystem;
import io.kho4j.tree.InboundResult;
import io.kho4j.tree.TreeAssembler;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the successor must not trust, each giving a typed outcome: the whole handover dropped where the kernel
 * drops it, one subsystem failed where only it is affected, and never an exception.
 */
class KhoInboundHostileTest {
    private static final long UNUSED = 0x7000_0000L;

    private static TestHandovers.Built x86() throws Exception {
        return TestHandovers.build(TestHandovers.target(AbiGeneration.KHO_V4_BLOCKS, Arch.X86_64));
    }

    private static Object dropReason(InboundOutcome o) {
        return o instanceof InboundOutcome.Dropped d ? d.reason() : o;
    }

    private static InboundOutcome read(TestHandovers.Built b, HandOff h) {
        return KhoInbound.forTarget(b.machine().target()).withRestorers(TestHandovers.restorers())
                .withManifest(b.handover().manifest()).read(b.memory(), h);
    }

    @Test
    void noKhoInTheHandOffIsNoHandoverAndACrashKernelGetsNone() throws Exception {
        TestHandovers.Built b = x86();
        assertEquals(DropReason.NO_HANDOVER, dropReason(read(b, HandOff.newBuilder().setKind(HandOff.Kind.SETUP_DATA)
                .setAddress(0).build())));
        for (Arch arch : Arch.values()) {
            SimulatedMachine m = SimulatedMachine.builder(TestHandovers.target(AbiGeneration.KHO_V4_BLOCKS, arch)).build();
            TestHandovers.Built crash = TestHandovers.build(m, x -> x.crashKernel(true));
            InboundOutcome o = crash.read();
            assertEquals(DropReason.NO_HANDOVER, dropReason(o), o.toString());
            assertThrows(HandoverDroppedException.class, o::orThrow);
        }
    }

    @Test
    void anExistingSetupDataChainIsKeptBehindTheKhoNode() throws Exception {
        SimulatedMachine m = SimulatedMachine.builder(TestHandovers.target(AbiGeneration.KHO_V4_BLOCKS, Arch.X86_64))
                .build();
        long foreign = 0x9_0000;  // a SETUP_E820_EXT-like node (type 1) with 8 payload bytes, in low RAM
        TestHandovers.Built b = TestHandovers.build(m, x -> x.setupDataChain(foreign));
        b.memory().writeU64(foreign, 0, ByteOrder.LITTLE_ENDIAN);
        b.memory().writeU32(foreign + 8, 1, ByteOrder.LITTLE_ENDIAN);
        b.memory().writeU32(foreign + 12, 8, ByteOrder.LITTLE_ENDIAN);
        long head = b.handover().handOff().getAddress();
        assertEquals(foreign, b.memory().readU64(head, ByteOrder.LITTLE_ENDIAN), "the KHO node links to the old head");
        assertTrue(b.read().verified());
    }

    @Test
    void aHostileSetupDataChainDropsTheHandover() throws Exception {
        TestHandovers.Built b = x86();
        PhysicalMemory mem = b.memory();
        long head = b.handover().handOff().getAddress();
        // a node that points at itself, in front of the chain
        mem.writeU64(UNUSED, UNUSED, ByteOrder.LITTLE_ENDIAN);
        mem.writeU32(UNUSED + 8, 1, ByteOrder.LITTLE_ENDIAN);
        InboundOutcome cycle = read(b, b.handover().handOff().toBuilder().setAddress(UNUSED).build());
        assertEquals(DropReason.HAND_OFF_INVALID, dropReason(cycle));
        assertEquals(UNUSED, ((InboundOutcome.Dropped) cycle).address());
        assertEquals(DropReason.HAND_OFF_INVALID, dropReason(read(b, b.handover().handOff().toBuilder()
                .setAddress(1L << 45).build())), "a chain head outside RAM");
        assertEquals(DropReason.HAND_OFF_INVALID, dropReason(read(b, HandOff.getDefaultInstance())), "no kind");
        mem.writeU32(head + 12, 31, ByteOrder.LITTLE_ENDIAN);
        assertEquals(DropReason.HAND_OFF_INVALID, dropReason(b.read()), "kho_data must be 32 bytes");
    }

    @Test
    void khoDataNamingMemoryThatIsNotRamOrNoScratchDropsTheHandover() throws Exception {
        TestHandovers.Built b = x86();
        long data = b.handover().handOff().getAddress() + 16;
        long[][] cases = {
            {0, 1L << 45},            // fdt_addr outside RAM
            {16, 1L << 45},           // scratch_addr outside RAM
            {24, 0},                  // scratch_size 0: nothing to boot from
            {24, 16L * 100_000},      // more areas than any kernel has
        };
        DropReason[] expected = {DropReason.HAND_OFF_INVALID, DropReason.SCRATCH_INVALID, DropReason.SCRATCH_INVALID,
            DropReason.SCRATCH_INVALID};
        for (int i = 0; i < cases.length; i++) {
            long original = b.memory().readU64(data + cases[i][0], ByteOrder.LITTLE_ENDIAN);
            b.memory().writeU64(data + cases[i][0], cases[i][1], ByteOrder.LITTLE_ENDIAN);
            assertEquals(expected[i], dropReason(b.read()), "case " + i);
            b.memory().writeU64(data + cases[i][0], original, ByteOrder.LITTLE_ENDIAN);
        }
        long array = b.handover().handOff().getScratchAddr();
        b.memory().writeU64(array + 16, 1L << 45, ByteOrder.LITTLE_ENDIAN);
        InboundOutcome o = b.read();
        assertEquals(DropReason.SCRATCH_INVALID, dropReason(o), "the global area outside RAM");
        assertEquals(1L << 45, ((InboundOutcome.Dropped) o).address());
    }

    @Test
    void aHostileBootDtbDropsTheHandover() throws Exception {
        SimulatedMachine m = SimulatedMachine.builder(TestHandovers.target(AbiGeneration.KHO_V1_BITMAP_PAGE, Arch.ARM64))
                .build();
        TestHandovers.Built b = TestHandovers.build(m, x -> { });
        HandOff h = b.handover().handOff();
        assertTrue(b.read().verified());
        assertEquals(DropReason.HAND_OFF_INVALID, dropReason(read(b, h.toBuilder().setAddress(1L << 45).build())));
        FdtWriter w = FdtWriter.create();
        w.beginNode("").beginNode("chosen").property("linux,kho-fdt", new byte[16]).endNode().endNode();
        byte[] oneProperty = w.finish();
        b.memory().write(UNUSED, oneProperty);
        InboundOutcome o = read(b, h.toBuilder().setAddress(UNUSED).build());
        assertEquals(DropReason.HAND_OFF_INVALID, dropReason(o));
        assertTrue(((InboundOutcome.Dropped) o).message().contains("only one of"), o.toString());
        b.memory().writeU32(UNUSED + 4, Integer.MAX_VALUE, ByteOrder.BIG_ENDIAN);
        assertEquals(DropReason.HAND_OFF_INVALID, dropReason(read(b, h.toBuilder().setAddress(UNUSED).build())),
                "a totalsize of 2 GiB is not read");
    }

    @Test
    void aRootTheSuccessorRefusesDropsTheWholeHandover() throws Exception {
        TestHandovers.Built v1 = TestHandovers.build(TestHandovers.target(AbiGeneration.KHO_V1_BITMAP512, Arch.X86_64));
        InboundOutcome newer = KhoInbound.forSuccessor(KernelRelease.of(7, 4, 0), PageSize.KIB_4)
                .read(v1.memory(), v1.handover().handOff());
        assertEquals(DropReason.ROOT_REFUSED, dropReason(newer));
        assertTrue(((InboundOutcome.Dropped) newer).message().contains(InboundResult.Reason.INCOMPATIBLE.name()));
        InboundOutcome guess = KhoInbound.detecting(PageSize.KIB_4).read(v1.memory(), v1.handover().handOff());
        assertEquals(DropReason.GENERATION_AMBIGUOUS, dropReason(guess), "kho-v1 needs the successor's release");
        assertTrue(KhoInbound.forSuccessor(KernelRelease.of(6, 16, 3), PageSize.KIB_4).read(v1.memory(),
                v1.handover().handOff()).orThrow().subsystems().size() == 1, "6.16.3 reads what 6.16.0 wrote");

        TestHandovers.Built b = x86();
        long root = b.handover().rootPhys();
        b.memory().write(root, new byte[64]);
        InboundOutcome garbage = b.read();
        assertEquals(DropReason.ROOT_REFUSED, dropReason(garbage));
        assertTrue(((InboundOutcome.Dropped) garbage).message().contains("INVALID_FDT"), garbage.toString());
    }

    @Test
    void anUndecodableMemoryMapDropsTheHandover() throws Exception {
        TestHandovers.Built b = x86();
        byte[] root = TreeAssembler.create(AbiGeneration.KHO_V4_BLOCKS, RootLayout.EDITED_IN_PLACE)
                .addSubtree("x", 0x1000, 1).build(UNUSED + 8);  // not page aligned
        b.memory().write(b.handover().rootPhys(), root);
        InboundOutcome o = b.read();
        assertEquals(DropReason.MEMORY_MAP_INVALID, dropReason(o), o.toString());
        assertEquals(UNUSED + 8, ((InboundOutcome.Dropped) o).address());
    }

    @Test
    void oneBadSubsystemFailsAloneAndTheOthersAreRestored() throws Exception {
        TestHandovers.Built b = x86();
        Restorer<Object> throwing = new Restorer<>() {
            @Override
            public String name() {
                return KexecMetadata.NODE_NAME;
            }

            @Override
            public List<CompatibleString> reads() {
                return List.of(KexecMetadata.V1);
            }

            @Override
            public List<String> versionsIn(InboundSubtree subtree) {
                return List.of(KexecMetadata.V1.toString());
            }

            @Override
            public Object restore(InboundSubtree subtree, CompatibleString version) {
                throw new IllegalStateException("a bug");
            }
        };
        SubsystemRegistry restorers = SubsystemRegistry.empty().register((Restorer<?>) new SampleSubsystem())
                .register(throwing);
        InboundOutcome.Restored r = KhoInbound.forTarget(b.machine().target()).withRestorers(restorers)
                .read(b.memory(), b.handover().handOff()).orThrow();
        assertEquals(InboundOutcome.Status.FAILED, status(r, KexecMetadata.NODE_NAME));
        assertEquals(InboundOutcome.Status.RESTORED, status(r, SampleSubsystem.NAME));
        assertEquals(1, r.failures().size(), r.failures().toString());

        InboundOutcome.Restored none = KhoInbound.forTarget(b.machine().target()).read(b.memory(),
                b.handover().handOff()).orThrow();
        assertEquals(InboundOutcome.Status.NO_RESTORER, status(none, SampleSubsystem.NAME));
        assertEquals(InboundOutcome.Status.RESTORED, status(none, KexecMetadata.NODE_NAME), "KHO's own is built in");
        assertFalse(none.verified());
    }

    @Test
    void aBlobPointerOutsideRamMakesThatSubsystemUnreadable() throws Exception {
        TestHandovers.Built b = x86();
        byte[] root = TreeAssembler.create(AbiGeneration.KHO_V4_BLOCKS, RootLayout.EDITED_IN_PLACE)
                .addSubtree(SampleSubsystem.NAME, 1L << 45, 16).build(b.handover().manifest().getMemoryMapRoot());
        b.memory().write(b.handover().rootPhys(), new byte[4096]);
        b.memory().write(b.handover().rootPhys(), root);
        InboundOutcome.Restored r = b.read().orThrow();
        assertEquals(InboundOutcome.Status.UNREADABLE, status(r, SampleSubsystem.NAME));
        assertTrue(r.failures().stream().anyMatch(f -> f.contains("kexec-metadata is in the manifest but not in the root")),
                r.failures().toString());
    }

    static Stream<Long> seeds() {
        return LongStream.of(0x6b686f31L, 0x6b686f32L, 0x6b686f33L).boxed();
    }

    /** Random byte changes anywhere the successor reads: always a typed outcome, never an exception. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomDamageToWhatTheSuccessorReadsGivesATypedOutcome(long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Arch arch : Arch.values()) {
            AbiGeneration g = AbiGeneration.values()[rnd.nextInt(AbiGeneration.values().length)];
            TestHandovers.Built b = TestHandovers.build(TestHandovers.target(g, arch));
            List<Region> read = b.handover().regions().stream().filter(r -> !r.getKind().equals("KERNEL")
                    && !r.getKind().equals("INITRD") && !r.getKind().equals("SAMPLE_DATA")).toList();
            for (int i = 0; i < 150; i++) {
                Region r = read.get(rnd.nextInt(read.size()));
                long at = r.getPhys() + rnd.nextLong(Math.min(r.getSize(), 4096));
                byte[] old = b.memory().read(at, 8);
                byte[] mutated = old.clone();
                mutated[rnd.nextInt(8)] ^= (byte) (1 + rnd.nextInt(255));
                b.memory().write(at, mutated);
                InboundOutcome o = b.read();
                assertInstanceOf(InboundOutcome.class, o);
                if (o instanceof InboundOutcome.Restored x && r.getKind().equals("ROOT_FDT")) {
                    assertTrue(x.verified() || !x.failures().isEmpty());
                }
                b.memory().write(at, old);
            }
            assertTrue(b.read().verified(), "restoring every byte restores the handover");
        }
    }

    private static InboundOutcome.Status status(InboundOutcome.Restored r, String name) {
        return r.subsystems().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().status();
    }
}
