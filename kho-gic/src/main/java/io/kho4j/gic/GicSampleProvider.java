package io.kho4j.gic;

import io.kho4j.abi.Arch;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.spi.SampleMachine;
import io.kho4j.spi.SampleStateProvider;
import java.util.List;

/**
 * Sample GIC state for {@code kho demo}: GICv3 is an arm64 interrupt controller, so an x86-64 machine gets no
 * sample; an arm64 one gets a property table, a pending table per CPU and an ITS with a two-level device table and
 * a collection table, their memory filled so the successor's digests check it.
 */
public final class GicSampleProvider implements SampleStateProvider {
    /** Seed of the table contents: the demo is reproducible. */
    private static final long SEED = 0x67696333L;

    @Override
    public List<Sample<?>> samples(SampleMachine machine) throws PhysicalMemoryException {
        if (machine.arch() != Arch.ARM64) {
            return List.of();
        }
        GicState state = GicSamples.onMachine(machine, SEED);
        return List.of(new Sample<>(new GicSubsystem(), state, "GICv3: LPI property table, " + machine.cpus()
                + " pending tables, ITS device + collection tables (kho4j format)"));
    }
}
