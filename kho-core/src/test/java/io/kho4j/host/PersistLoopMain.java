package io.kho4j.host;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.handover.HandoverTarget;
import io.kho4j.preserve.PageSize;
import io.kho4j.testsupport.SampleSubsystem;
import java.nio.file.Path;

/**
 * Test-only writer for {@link TornWriteTest}: boots the first kernel of a small machine and commits a handover,
 * again and again until it is killed. Each handover's sample is labelled with its own sequence number, so a
 * reader can tell a complete handover from a mix of two.
 */
public final class PersistLoopMain {
    private PersistLoopMain() {
    }

    /** @return the machine both sides use */
    static SimulatedMachine machine() {
        return SimulatedMachine.builder(HandoverTarget.generation(AbiGeneration.KHO_V4_BLOCKS, PageSize.KIB_4,
                Arch.X86_64)).ram(0, 1L << 30).nodes(1).kernel(4 << 20, 4 << 20)
                .commandLine("kho=on kho_bootmem=16M,64M,32M").build();
    }

    /** @param args the state directory */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        while (true) {
            try (SimulatedKhoHost host = SimulatedKhoHost.boot(dir, machine())) {
                host.add(new SampleSubsystem(), SampleSubsystem.make(host.sampleMachine(), "seq-" + host.sequence(),
                        256 << 10, host.sequence()), "loop");
                host.load(4 << 20, 4 << 20);
                host.persist();
            }
        }
    }
}
