package io.kho4j.ftrace;

import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.spi.SampleMachine;
import io.kho4j.spi.SampleStateProvider;
import java.util.List;

/**
 * Sample ftrace state for {@code kho demo}: {@code global_trace} with {@value #PAGES_PER_CPU} pages on every CPU of
 * the machine and an instance {@code kho4j} with one page per CPU, each data page holding a line of text, so the
 * successor's digests cover real content.
 */
public final class FtraceSampleProvider implements SampleStateProvider {
    /** Pages per CPU of {@code global_trace}: small, the demo stays fast. */
    public static final int PAGES_PER_CPU = 4;

    @Override
    public List<Sample<?>> samples(SampleMachine machine) throws PhysicalMemoryException {
        FtraceSubsystem subsystem = new FtraceSubsystem();
        BufferPageLayout layout = subsystem.bufferPage();
        int cpus = machine.cpus();
        FtraceState state = new FtraceState(FtraceSamples.sampleEvents(), List.of(
                FtraceSamples.ringBuffers(machine, layout, TraceArray.GLOBAL, cpus, PAGES_PER_CPU, true),
                FtraceSamples.ringBuffers(machine, layout, "kho4j", cpus, 1, true)));
        return List.of(new Sample<>(subsystem, state, "ftrace ring buffers: global_trace " + cpus + " CPUs x "
                + PAGES_PER_CPU + " pages, instance kho4j " + cpus + " x 1"));
    }
}
