package io.kho4j.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.abi.KernelRelease;
import io.kho4j.preserve.PhysRange;
import org.junit.jupiter.api.Test;

class SampleMachineTest {
    private final SampleMachine machine = SampleMachine.detached(WriteContext.of(AbiGeneration.KHO_V4_BLOCKS),
            KernelRelease.of(7, 4, 0), KernelRelease.of(7, 4, 0));

    @Test
    void allocationsAreWholePagesNaturallyAlignedDisjointAndReadZero() throws Exception {
        PhysRange a = machine.allocate(5000);
        PhysRange b = machine.allocate(3L << 30);
        assertEquals(8192, a.size());
        assertTrue(a.isAligned(8192), a.toString());
        assertEquals(3L << 30, b.size());
        assertTrue(b.start() % (4L << 30) == 0, "a 3 GiB range sits in a naturally aligned 4 GiB folio: " + b);
        assertFalse(a.overlaps(b));
        assertArrayEquals(new byte[4096], machine.memory().read(b.start() + (1L << 30), 4096));
        assertThrows(IllegalArgumentException.class, () -> machine.allocate(0));
    }

    @Test
    void describesTheKernels() {
        assertEquals(AbiGeneration.KHO_V4_BLOCKS, machine.context().generation());
        assertEquals("7.4.0", machine.to().toString());
    }

    @Test
    void saysItsArchitectureAndCpus() {
        assertEquals(Arch.X86_64, machine.arch());
        assertEquals(SampleMachine.DEFAULT_CPUS, machine.cpus());
        SampleMachine arm = SampleMachine.detached(WriteContext.of(AbiGeneration.KHO_V4_BLOCKS),
                KernelRelease.of(7, 4, 0), KernelRelease.of(7, 4, 0), Arch.ARM64);
        assertEquals(Arch.ARM64, arm.arch());
    }
}
