package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.SimulatedMachine;
import io.kho4j.preserve.PageSize;
import io.kho4j.spi.SubsystemRegistry;
import io.kho4j.testsupport.SampleSubsystem;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoverRoundTripTest {
    @Test
    void smoke() throws Exception {
        for (AbiGeneration g : AbiGeneration.values()) {
            for (Arch arch : Arch.values()) {
                SimulatedMachine m = SimulatedMachine.builder(HandoverTarget.generation(g, PageSize.KIB_4, arch)).build();
                PhysicalMemory mem = PhysicalMemory.sparse(List.of(m.ram()));
                HandoverBuilder b = HandoverBuilder.create(m.target(), m.description(), m.commandLine(), mem, true);
                SampleSubsystem.State s = SampleSubsystem.make(b.sampleMachine(), "x", 2 << 20, 7);
                b.add(new SampleSubsystem(), s, "test");
                Handover h = b.load(m.kernelBytes(), m.initrdBytes());
                InboundOutcome o = KhoInbound.forTarget(m.target())
                        .withRestorers(SubsystemRegistry.empty().register((io.kho4j.spi.Restorer<?>) new SampleSubsystem()))
                        .withManifest(h.manifest()).read(mem, h.handOff());
                System.out.println(g + " " + arch + " " + o);
                InboundOutcome.Restored r = o.orThrow();
                assertTrue(r.verified(), r.failures().toString());
                assertEquals(s, r.state(SampleSubsystem.NAME, SampleSubsystem.State.class).orElseThrow());
                System.out.println(h.phases());
            }
        }
    }
}
