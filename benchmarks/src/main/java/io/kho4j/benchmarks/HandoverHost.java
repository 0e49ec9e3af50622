package io.kho4j.benchmarks;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.ftrace.FtraceSamples;
import io.kho4j.ftrace.FtraceState;
import io.kho4j.ftrace.FtraceSubsystem;
import io.kho4j.ftrace.TraceArray;
import io.kho4j.handover.Handover;
import io.kho4j.handover.HandoverBuildException;
import io.kho4j.handover.HandoverBuilder;
import io.kho4j.handover.HandoverTarget;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.host.SimulatedMachine;
import io.kho4j.memory.GuestRam;
import io.kho4j.memory.GuestVm;
import io.kho4j.memory.VmMemorySubsystem;
import io.kho4j.memory.VmmMetadata;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.SampleMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DESIGN.md §7 host for the demo-handover benchmark: x86-64, 1 TiB of RAM in 2 NUMA nodes, 4 KiB pages,
 * 7.4 handing over to itself ({@code kho-v4}), {@value #VMS} guests whose RAM {@link VmMemorySubsystem}
 * preserves. Guests get 8 GiB each, not 16: 100 × 16 GiB would not fit 1 TiB. The host's {@value #CPUS} CPUs hand
 * over ftrace ring buffers of {@value #FTRACE_PAGES_PER_CPU} pages each (4 MiB per CPU, 1 GiB in all); only their
 * {@code struct buffer_page}s are written, the data pages stay untouched.
 * Memory is {@link PhysicalMemory#sparse}: only the handover's own pages are held, in the heap.
 */
final class HandoverHost {
    static final HandoverTarget TARGET = HandoverTarget.generation(AbiGeneration.KHO_V4_BLOCKS, PageSize.KIB_4,
            Arch.X86_64);
    static final SimulatedMachine MACHINE = SimulatedMachine.builder(TARGET).ram(0, 1L << 40).nodes(2).build();
    static final int VMS = 100;
    static final long GUEST_BYTES = 8L << 30;
    static final int CPUS = 256;
    static final int FTRACE_PAGES_PER_CPU = 1024;

    private HandoverHost() {
    }

    /** @return a builder over fresh, empty memory @throws HandoverBuildException never: the machine is valid */
    static HandoverBuilder create() throws HandoverBuildException {
        return HandoverBuilder.create(TARGET, MACHINE.description(), MACHINE.commandLine(),
                PhysicalMemory.sparse(List.of(MACHINE.ram())), true);
    }

    /**
     * Allocates the guests' RAM and the CPUs' ring buffers from the builder's free memory and adds their state, as
     * a VM host would.
     *
     * @param builder an open builder
     * @return the builder
     * @throws PhysicalMemoryException if RAM runs out
     */
    static HandoverBuilder addHostState(HandoverBuilder builder) throws PhysicalMemoryException {
        SampleMachine machine = builder.sampleMachine();
        FtraceSubsystem ftrace = new FtraceSubsystem();
        FtraceState buffers = new FtraceState(FtraceSamples.sampleEvents(), List.of(FtraceSamples.ringBuffers(machine,
                ftrace.bufferPage(), TraceArray.GLOBAL, CPUS, FTRACE_PAGES_PER_CPU, false)));
        builder.add(ftrace, buffers, CPUS + " CPUs x " + FTRACE_PAGES_PER_CPU + " ftrace pages");
        List<GuestVm> guests = new ArrayList<>(VMS);
        for (int i = 0; i < VMS; i++) {
            PhysRange ram = machine.allocate(GUEST_BYTES);
            VmmMetadata vmm = new VmmMetadata("qemu", "9.2", 4, Map.of("role", "guest-" + i), new byte[0]);
            guests.add(new GuestVm(i + 1, "vm-" + (i + 1), List.of(ram), Optional.of(vmm)));
        }
        return builder.add(new VmMemorySubsystem(), new GuestRam(guests), VMS + " guests of 8 GiB");
    }

    /** @return the finished handover @throws Exception never in practice */
    static Handover build() throws HandoverBuildException, PhysicalMemoryException {
        HandoverBuilder b = addHostState(create());
        return b.load(MACHINE.kernelBytes(), MACHINE.initrdBytes());
    }
}
