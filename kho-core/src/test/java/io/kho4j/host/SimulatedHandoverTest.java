package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.abi.KernelRelease;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.handover.HandoverBuildException;
import io.kho4j.handover.HandoverTarget;
import io.kho4j.handover.InboundOutcome;
import io.kho4j.handover.KexecMetadata;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PreservedBlock;
import io.kho4j.proto.HandOff;
import io.kho4j.proto.HandoverManifest;
import io.kho4j.proto.SuccessorReport;
import io.kho4j.scratch.ScratchArea;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemRegistry;
import io.kho4j.testsupport.SampleSubsystem;
import io.kho4j.testsupport.SuccessorClassPath;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full handovers on the simulated host for every generation and both architectures: the first kernel builds
 * and commits, the successor (in this JVM through the same code as the separate process, or a separate JVM
 * for two of them) restores and verifies, and the bytes the kernel reads first are checked against values
 * assembled by hand from the struct definitions (kho-abi.md §3).
 */
class SimulatedHandoverTest {
    private static final KernelRelease V6_16 = KernelRelease.of(6, 16, 0);
    private static final KernelRelease V6_18 = KernelRelease.of(6, 18, 0);
    private static final KernelRelease V7_1 = KernelRelease.of(7, 1, 0);
    private static final KernelRelease V7_2 = KernelRelease.of(7, 2, 0);
    private static final KernelRelease V7_4 = KernelRelease.of(7, 4, 0);

    @TempDir
    Path dir;

    static Stream<Arguments> kernels() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (Arch arch : Arch.values()) {
            for (KernelRelease r : List.of(V6_16, V6_18, V7_1, V7_2, V7_4)) {
                out.add(Arguments.of(r.toString(), arch));
            }
        }
        return out.build();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("kernels")
    void handsOverAndRestoresEveryGenerationOnBothArchitectures(String release, Arch arch) throws Exception {
        KernelRelease r = KernelRelease.parse(release);
        HandoverTarget target = HandoverTarget.releases(r, r, PageSize.KIB_4, arch);
        SimulatedMachine machine = SimulatedMachine.builder(target).build();
        SampleSubsystem.State sample;
        try (SimulatedKhoHost host = SimulatedKhoHost.boot(dir, machine)) {
            sample = SampleSubsystem.make(host.sampleMachine(), "e2e", 2 << 20, r.minor());
            host.add(new SampleSubsystem(), sample, "test data").successorInProcess(restorers());
            SuccessorReport report = host.kexec();
            assertEquals(SuccessorReport.Outcome.VERIFIED, report.getOutcome(), report.toString());
        }
        try (SimulatedKhoHost successor = SimulatedKhoHost.open(dir)) {
            assertEquals(release, successor.kernelRelease());
            InboundOutcome.Restored in = successor.inbound(restorers()).orThrow();
            assertTrue(in.verified(), in.failures().toString());
            assertEquals(target.generation(), in.generation());
            assertEquals(sample, in.state(SampleSubsystem.NAME, SampleSubsystem.State.class).orElseThrow());
            boolean metadata = !r.isBefore(KernelRelease.rc(7, 1, 1));
            assertEquals(metadata, in.state(KexecMetadata.NODE_NAME, KexecMetadata.class)
                    .equals(java.util.Optional.of(new KexecMetadata(release, 1))), "kexec-metadata from 7.1");
            HandoverManifest m = successor.incomingManifest().orElseThrow();
            checkHandOffBytes(successor.memory(), m, in, arch);
            checkRoot(successor.memory(), m, target.generation());
            assertEquals(!r.isBefore(KernelRelease.rc(7, 3, 1)), in.map().contains(new PreservedBlock(m.getRootFdtPhys(), 0)),
                    "the root FDT page is a preserved key from 7.3 (kho-abi.md §9.5)");
            assertTrue(machine.commandLine().contains(r.minor() == 4 ? "kho_bootmem=" : "kho_scratch="),
                    "7.4 renamed the parameter (kho-abi.md §9.4)");
            assertEquals(machine.nodes() + 2, in.scratch().size());
        }
    }

    @Test
    void kho2RadixDevelopmentTreesHandOverToo() throws Exception {
        HandoverTarget target = HandoverTarget.generation(AbiGeneration.KHO_V2_RADIX, PageSize.KIB_4, Arch.X86_64);
        try (SimulatedKhoHost host = SimulatedKhoHost.boot(dir, SimulatedMachine.builder(target).build())) {
            host.add(new SampleSubsystem(), SampleSubsystem.make(host.sampleMachine(), "v2", 4096, 2), "test");
            assertEquals(SuccessorReport.Outcome.VERIFIED, host.successorInProcess(restorers()).kexec().getOutcome());
        }
    }

    @Test
    void theSuccessorRunsInASeparateJvmOnX86AndArm64() throws Exception {
        String classPath = SuccessorClassPath.withSampleRestorer(dir.resolve("cp"));
        for (HandoverTarget target : List.of(HandoverTarget.releases(V7_4, V7_4, PageSize.KIB_4, Arch.X86_64),
                HandoverTarget.releases(V6_16, V6_16, PageSize.KIB_4, Arch.ARM64))) {
            Path state = dir.resolve(target.arch().cliName());
            try (SimulatedKhoHost host = SimulatedKhoHost.boot(state, SimulatedMachine.builder(target).build())) {
                host.add(new SampleSubsystem(), SampleSubsystem.make(host.sampleMachine(), "jvm", 1 << 20, 3), "test");
                SuccessorReport r = host.successorClassPath(classPath).kexec();
                assertEquals(SuccessorReport.Outcome.VERIFIED, r.getOutcome(), r.toString());
                assertNotEquals(ProcessHandle.current().pid(), r.getPid());
                assertEquals(target.to().toString(), r.getRelease());
                assertTrue(r.getSubsystemsList().stream().anyMatch(s -> s.getName().equals(SampleSubsystem.NAME)
                        && s.getStatus().equals("RESTORED")), r.toString());
                assertEquals(r, SuccessorReport.parseFrom(Files.readAllBytes(state.resolve("successor-1.report"))));
            }
        }
    }

    @Test
    void aSuccessorOnTheModulePathRunsKhoCoreAsItsNamedModule() throws Exception {
        // kho-core's classes and the jars it requires form the module path; the test's own restorer stays on the
        // class path, as an application mixing both would have it.
        List<String> modules = new ArrayList<>();
        modules.add(Path.of(SimulatedKhoHost.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("jna-") || name.startsWith("protobuf-java-")) {
                modules.add(entry);
            }
        }
        assertEquals(3, modules.size(), "kho-core, JNA and protobuf-java: " + modules);
        HandoverTarget target = HandoverTarget.releases(V7_4, V7_4, PageSize.KIB_4, Arch.X86_64);
        try (SimulatedKhoHost host = SimulatedKhoHost.boot(dir, SimulatedMachine.builder(target).build())) {
            host.add(new SampleSubsystem(), SampleSubsystem.make(host.sampleMachine(), "mp", 1 << 16, 2), "test");
            SuccessorReport r = host.successorClassPath(SuccessorClassPath.withSampleRestorer(dir.resolve("cp")))
                    .successorModulePath(String.join(File.pathSeparator, modules)).kexec();
            assertEquals(SuccessorReport.Outcome.VERIFIED, r.getOutcome(), r.toString());
        }
        String log = Files.readString(dir.resolve("successor-1.log"));
        assertFalse(log.contains("Exception"), log);
    }

    @Test
    void theSuccessorLaunchesLikeItsParent() {
        String main = "io.kho4j.host.internal.SuccessorMain";
        assertEquals(List.of("-cp", "a.jar", main), SimulatedKhoHost.successorLaunch("a.jar", ""));
        assertEquals(List.of("--module-path", "m", "--add-modules", "ALL-MODULE-PATH", "-m", "io.kho4j.core/" + main),
                SimulatedKhoHost.successorLaunch("", "m"));
        assertEquals(List.of("--module-path", "m", "--add-modules", "ALL-MODULE-PATH", "-cp", "a.jar", "-m",
                "io.kho4j.core/" + main), SimulatedKhoHost.successorLaunch("a.jar", "m"));
    }

    @Test
    void theKernelInterfaceFinalizesLoadsAndRefusesOutOfOrder() throws Exception {
        HandoverTarget target = HandoverTarget.releases(V6_18, V6_18, PageSize.KIB_4, Arch.X86_64);
        try (SimulatedKhoHost host = SimulatedKhoHost.boot(dir, SimulatedMachine.builder(target).build())) {
            assertTrue(host.capabilities().contains(KhoCapability.FINALIZE_REQUIRED));
            assertTrue(host.outgoing().rootFdt().isEmpty(), "6.16 - 7.0 show no root before finalize");
            Path kernel = Files.write(dir.resolve("vmlinuz"), new byte[3 << 20]);
            assertThrows(IllegalStateException.class, () -> host.loadKernel(KexecImage.of(kernel)));
            assertThrows(IllegalStateException.class, () -> host.rebootIntoLoadedKernel(true));
            assertEquals(KhoHost.FinalizeResult.FINALIZED, host.finalizeOutgoing());
            assertEquals(KhoHost.FinalizeResult.ALREADY_FINALIZED, host.finalizeOutgoing());
            assertTrue(host.outgoing().rootFdt().isPresent());
            assertThrows(IllegalStateException.class, () -> host.add(new SampleSubsystem(),
                    new SampleSubsystem.State("late", new io.kho4j.preserve.PhysRange(1L << 32, 4096), 0), "x"));
            host.loadKernel(KexecImage.of(kernel));
            assertThrows(IllegalStateException.class, () -> host.rebootIntoLoadedKernel(false));
            host.successorInProcess(restorers()).rebootIntoLoadedKernel(true);
            assertEquals(SuccessorReport.Outcome.VERIFIED, host.lastReport().orElseThrow().getOutcome());
            assertThrows(IllegalStateException.class, host::outgoing, "a kernel that handed over is gone");
        }
        try (SimulatedKhoHost successor = SimulatedKhoHost.open(dir)) {
            assertTrue(successor.capabilities().contains(KhoCapability.INCOMING_STATE));
            KhoState in = successor.incoming().orElseThrow();
            assertTrue(in.subBlobNames().isEmpty(), "no subsystem was added: " + in.subBlobNames());
            assertTrue(in.rootFdt().isPresent());
            assertThrows(KhoUnavailableException.class, successor::outgoing);
        }
    }

    @Test
    void aHandoverThatWouldLoseStateIsRefusedBeforeAnyFileIsWritten() {
        for (String[] pair : List.of(new String[] {"6.17", "6.18"}, new String[] {"6.17.8", "6.17.9"},
                new String[] {"7.0", "7.1"})) {
            HandoverBuildException e = assertThrows(HandoverBuildException.class, () -> SimulatedKhoHost.boot(dir.resolve(
                    "m"), SimulatedMachine.builder(HandoverTarget.releases(KernelRelease.parse(pair[0]),
                    KernelRelease.parse(pair[1]), PageSize.KIB_4, Arch.X86_64)).build()));
            assertEquals(HandoverBuildException.Kind.INCOMPATIBLE_KERNELS, e.kind());
            assertFalse(Files.exists(dir.resolve("m")), "nothing written for " + pair[0] + " -> " + pair[1]);
            assertFalse(e.details().isEmpty());
        }
        HandoverBuildException bitmap = assertThrows(HandoverBuildException.class, () -> HandoverTarget.releases(
                KernelRelease.parse("6.17"), KernelRelease.parse("6.18"), PageSize.KIB_4, Arch.X86_64).requireCompatible());
        assertTrue(bitmap.details().get(0).contains("512-byte vs 4096-byte preservation bitmaps"), bitmap.getMessage());
    }

    private static SubsystemRegistry restorers() {
        return SubsystemRegistry.empty().register((Restorer<?>) new SampleSubsystem());
    }

    /** x86: struct setup_data + struct kho_data; arm64: /chosen cells, each assembled by hand (kho-abi.md §3). */
    private static void checkHandOffBytes(PhysicalMemory memory, HandoverManifest m, InboundOutcome.Restored in,
            Arch arch) throws Exception {
        HandOff h = m.getHandOff();
        List<ScratchArea> areas = in.scratch();
        ByteBuffer array = ByteBuffer.allocate(areas.size() * 16).order(ByteOrder.LITTLE_ENDIAN);
        areas.forEach(a -> array.putLong(a.address()).putLong(a.size()));
        assertArrayEquals(array.array(), memory.read(h.getScratchAddr(), areas.size() * 16), "struct kho_scratch[]");
        assertEquals(0, h.getScratchAddr() % (64 << 10), "the scratch array segment is 64 KiB aligned (.buf_align)");
        if (arch == Arch.X86_64) {
            ByteBuffer node = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putInt(10).putInt(32)
                    .putLong(m.getRootFdtPhys()).putLong(4096).putLong(h.getScratchAddr()).putLong(areas.size() * 16L);
            assertArrayEquals(node.array(), memory.read(h.getAddress(), 48), "setup_data + kho_data");
        } else {
            ValidatedFdt dtb = FdtValidator.standard().validate(memory.read(h.getAddress(), (int) h.getSize()));
            FdtNode chosen = dtb.find("/chosen").orElseThrow();
            ByteBuffer fdt = ByteBuffer.allocate(16).putLong(m.getRootFdtPhys()).putLong(4096);
            ByteBuffer scratch = ByteBuffer.allocate(16).putLong(h.getScratchAddr()).putLong(areas.size() * 16L);
            assertArrayEquals(fdt.array(), chosen.requireProperty("linux,kho-fdt").bytes(), "2 + 2 big-endian cells");
            assertArrayEquals(scratch.array(), chosen.requireProperty("linux,kho-scratch").bytes());
        }
    }

    private static void checkRoot(PhysicalMemory memory, HandoverManifest m, AbiGeneration g) throws Exception {
        ValidatedFdt root = FdtValidator.standard().validate(memory.read(m.getRootFdtPhys(), 4096));
        assertEquals(g.rootCompatible().toString(), root.root().requireProperty("compatible").string());
        assertEquals(m.getMemoryMapRoot(), root.root().requireProperty("preserved-memory-map").u64(ByteOrder.LITTLE_ENDIAN));
        FdtNode sample = root.find("/" + SampleSubsystem.NAME).orElseThrow();
        assertEquals(m.getSubsystemsList().stream().filter(s -> s.getName().equals(SampleSubsystem.NAME)).findFirst()
                .orElseThrow().getBlobPhys(), sample.requireProperty(g.subtreeProperty()).u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals(g.sizeProperty().isPresent(), sample.property("blob-size").isPresent());
    }
}
