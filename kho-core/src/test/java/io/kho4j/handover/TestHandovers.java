package io.kho4j.handover;

import io.kho4j.abi.Arch;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.SimulatedMachine;
import io.kho4j.preserve.PageSize;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemRegistry;
import io.kho4j.testsupport.SampleSubsystem;
import java.util.List;

/** Handovers built in heap memory that keeps only written pages, with the test subsystem's sample in them. */
final class TestHandovers {
    private TestHandovers() {
    }

    /** Changes a builder before it builds. */
    @FunctionalInterface
    interface Setup {
        void apply(HandoverBuilder b) throws Exception;
    }

    /**
     * @param machine the machine
     * @param memory its memory
     * @param handover what was built
     * @param sample the test subsystem's state in it
     */
    record Built(SimulatedMachine machine, PhysicalMemory memory, Handover handover, SampleSubsystem.State sample) {
        /** @return the successor's outcome, with the test restorer and the manifest */
        InboundOutcome read() {
            return KhoInbound.forTarget(machine.target()).withRestorers(restorers()).withManifest(handover.manifest())
                    .read(memory, handover.handOff());
        }
    }

    static HandoverTarget target(io.kho4j.abi.AbiGeneration g, Arch arch) {
        return HandoverTarget.generation(g, PageSize.KIB_4, arch);
    }

    static Built build(SimulatedMachine machine, Setup setup) throws Exception {
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(machine.ram()));
        HandoverBuilder b = HandoverBuilder.create(machine.target(), machine.description(), machine.commandLine(),
                memory, true);
        SampleSubsystem.State sample = SampleSubsystem.make(b.sampleMachine(), "test", 2 << 20, 42);
        b.add(new SampleSubsystem(), sample, "test data");
        setup.apply(b);
        return new Built(machine, memory, b.load(machine.kernelBytes(), machine.initrdBytes()), sample);
    }

    static Built build(HandoverTarget target) throws Exception {
        return build(SimulatedMachine.builder(target).build(), b -> { });
    }

    static SubsystemRegistry restorers() {
        return SubsystemRegistry.empty().register((Restorer<?>) new SampleSubsystem());
    }
}
