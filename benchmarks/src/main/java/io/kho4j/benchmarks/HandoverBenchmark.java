package io.kho4j.benchmarks;

import io.kho4j.ftrace.FtraceSubsystem;
import io.kho4j.handover.Handover;
import io.kho4j.handover.HandoverBuildException;
import io.kho4j.handover.HandoverBuilder;
import io.kho4j.handover.InboundOutcome;
import io.kho4j.handover.KhoInbound;
import io.kho4j.host.KhoState;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.memory.VmMemorySubsystem;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The demo handover of a DESIGN.md §7 host ({@link HandoverHost}: 1 TiB, 100 VMs) phase by phase, in process:
 * no successor JVM, no memory image file, no fsync. {@link HandoverBuilder} does the work; each phase method
 * gets a builder prepared up to that phase by a per-invocation setup, which JMH keeps out of the time (fine
 * for operations of a millisecond or more). {@link #handover} is the whole build, the §7 goal's "tree + map +
 * hand-off" (under 100 ms together with {@link #inbound}, the successor's walk and verify).
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandoverBenchmark extends JmhDefaults {
    private PhysicalMemory builtMemory;
    private Handover built;
    private KhoInbound inbound;

    /** Builds one handover for {@link #inbound}. @throws Exception never in practice */
    @Setup(Level.Trial)
    public void buildOnce() throws HandoverBuildException, PhysicalMemoryException {
        HandoverBuilder b = HandoverHost.addHostState(HandoverHost.create());
        builtMemory = b.sampleMachine().memory();
        built = b.load(HandoverHost.MACHINE.kernelBytes(), HandoverHost.MACHINE.initrdBytes());
        inbound = KhoInbound.forTarget(HandoverHost.TARGET)
                .withRestorers(SubsystemRegistry.empty().register((Restorer<?>) new VmMemorySubsystem())
                        .register((Restorer<?>) new FtraceSubsystem()))
                .withManifest(built.manifest());
    }

    /** A fresh builder with the guests added, for {@link #finalizeState}. */
    @State(Scope.Thread)
    public static class WithGuests {
        HandoverBuilder builder;

        /** @throws Exception never in practice */
        @Setup(Level.Invocation)
        public void setUp() throws HandoverBuildException, PhysicalMemoryException {
            builder = HandoverHost.addHostState(HandoverHost.create());
        }
    }

    /** A fresh finalized builder, for {@link #load}. */
    @State(Scope.Thread)
    public static class Finalized {
        HandoverBuilder builder;

        /** @throws Exception never in practice */
        @Setup(Level.Invocation)
        public void setUp() throws HandoverBuildException, PhysicalMemoryException {
            builder = HandoverHost.addHostState(HandoverHost.create());
            builder.finalizeState();
        }
    }

    /** @return the builder: scratch plan and compatibility check @throws HandoverBuildException never */
    @Benchmark
    public HandoverBuilder plan() throws HandoverBuildException {
        return HandoverHost.create();
    }

    /**
     * Serialize, place, memory map, root tree ({@code kho_finalize}).
     *
     * @param state a builder with the guests added
     * @return the outgoing state @throws HandoverBuildException never in practice
     */
    @Benchmark
    public KhoState finalizeState(WithGuests state) throws HandoverBuildException {
        return state.builder.finalizeState();
    }

    /**
     * Kexec segments in scratch, producer checks, the hand-off, digests over the metadata.
     *
     * @param state a finalized builder
     * @return the handover @throws HandoverBuildException never in practice
     */
    @Benchmark
    public Handover load(Finalized state) throws HandoverBuildException {
        return state.builder.load(HandoverHost.MACHINE.kernelBytes(), HandoverHost.MACHINE.initrdBytes());
    }

    /** @return the whole build, plan to hand-off, guests' allocation included @throws Exception never */
    @Benchmark
    public Handover handover() throws HandoverBuildException, PhysicalMemoryException {
        return HandoverHost.build();
    }

    /** @return the handover {@link #buildOnce} built, for the workload test */
    Handover builtForTest() {
        return built;
    }

    /** @return what the successor reads: root, map, subtrees restored, digests verified */
    @Benchmark
    public InboundOutcome inbound() {
        return inbound.read(builtMemory, built.handOff());
    }
}
