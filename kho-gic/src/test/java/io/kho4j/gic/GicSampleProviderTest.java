package io.kho4j.gic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.abi.KernelRelease;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.PreservedAllocator;
import io.kho4j.spi.SampleMachine;
import io.kho4j.spi.SampleStateProvider.Sample;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class GicSampleProviderTest {
    private static final KernelRelease R = KernelRelease.of(7, 4, 0);

    private static SampleMachine machine(Arch arch) {
        return SampleMachine.detached(WriteContext.of(AbiGeneration.KHO_V4_BLOCKS), R, R, arch);
    }

    @Test
    void x86MachinesHaveNoGicv3() throws Exception {
        assertEquals(List.of(), new GicSampleProvider().samples(machine(Arch.X86_64)));
    }

    @Test
    void arm64SamplesCoverEveryCpuRoundTripAndHoldRealContent() throws Exception {
        SampleMachine m = machine(Arch.ARM64);
        List<Sample<?>> samples = new GicSampleProvider().samples(m);
        assertEquals(1, samples.size());
        GicState state = (GicState) samples.get(0).state();
        assertEquals(m.cpus(), state.pendingTables().size());
        PhysRange low = new PhysRange(1L << 32, 1L << 32);
        SerializedSubtree out = Subtrees.write(new GicSubsystem(), state, GicSubsystem.GICV3_V1, m.context(),
                PreservedAllocator.over(m.memory(), m.context().pageSize(), List.of(low), List.of()));
        GicState back = Subtrees.restore(new GicSubsystem(), InboundSubtree.of(out.name(), 0x1000, out.bytes(),
                AbiGeneration.KHO_V4_BLOCKS, m.memory(), FdtValidator.standard()), GicSubsystem.GICV3_V1);
        assertEquals(state, back);
        long preserved = out.preservations().stream().mapToLong(p -> p.range().size()).sum();
        long tables = state.regions().stream().mapToLong(r -> r.range().size()).sum();
        assertEquals(tables, preserved, "64 KiB tables on 4 KiB pages: preserved exactly");
        // its_alloc_lpi_tables() fills the property table with LPI_PROP_DEFAULT_PRIO | LPI_PROP_GROUP1
        byte[] prop = m.memory().read(state.propertyTable().address(), 16);
        for (byte b : prop) {
            assertTrue((b & 0xfe) == 0xa2, "property byte " + b);
        }
        long l2 = state.its().get(0).tables().get(0).level2Tables().get(0);
        assertEquals(l2 | 1L << 63, m.memory().readU64(state.its().get(0).tables().get(0).address(),
                java.nio.ByteOrder.LITTLE_ENDIAN), "level-1 entry: valid bit and the level-2 page");
    }
}
