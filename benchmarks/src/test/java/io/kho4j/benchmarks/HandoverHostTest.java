package io.kho4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.ftrace.FtraceState;
import io.kho4j.ftrace.FtraceSubsystem;
import io.kho4j.handover.Handover;
import io.kho4j.handover.InboundOutcome;
import io.kho4j.memory.GuestRam;
import io.kho4j.memory.GuestVm;
import io.kho4j.preserve.PhysRange;
import org.junit.jupiter.api.Test;

/**
 * The handover benchmark's host is the 1 TiB / 100-VM / 256-CPU machine it claims, and its handover reads back whole.
 */
class HandoverHostTest {

    @Test
    void hostHasOneTibHundredGuestsAndFtraceBuffersThatTheSuccessorRestores() throws Exception {
        assertEquals(new PhysRange(0, 1L << 40), HandoverHost.MACHINE.ram());
        HandoverBenchmark bench = new HandoverBenchmark();
        bench.buildOnce();
        Handover handover = bench.builtForTest();
        // Every guest byte and ftrace data page is preserved, beside KHO's own pages and the buffer_page structs.
        long ftraceData = (long) HandoverHost.CPUS * HandoverHost.FTRACE_PAGES_PER_CPU * 4096;
        long expected = HandoverHost.VMS * HandoverHost.GUEST_BYTES + ftraceData;
        assertTrue(handover.map().preservedBytes() >= expected);
        assertTrue(handover.map().preservedBytes() < expected + (64L << 20));
        InboundOutcome.Restored restored = assertInstanceOf(InboundOutcome.Restored.class, bench.inbound());
        assertTrue(restored.verified());
        GuestRam guests = restored.state(io.kho4j.memory.VmMemorySubsystem.NAME, GuestRam.class).orElseThrow();
        assertEquals(HandoverHost.VMS, guests.guests().size());
        for (GuestVm g : guests.guests()) {
            assertEquals(HandoverHost.GUEST_BYTES, g.ranges().stream().mapToLong(PhysRange::size).sum());
        }
        FtraceState ftrace = restored.state(FtraceSubsystem.NAME, FtraceState.class).orElseThrow();
        assertEquals((long) HandoverHost.CPUS * HandoverHost.FTRACE_PAGES_PER_CPU, ftrace.pageCount());
    }
}
