package io.kho4j.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreservedAllocatorTest {
    private static final PhysRange RAM = new PhysRange(0x10_0000, 0x40_0000);

    @Test
    void foliosAreNaturallyAlignedTopDownAndSkipExclusions() throws Exception {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        PhysRange scratch = new PhysRange(0x30_0000, 0x10_0000);
        PreservedAllocator a = PreservedAllocator.over(mem, 4096, List.of(RAM), List.of(scratch));
        long first = a.allocateFolio(0);
        assertEquals(0x4f_f000, first);
        long big = a.allocateFolio(4);
        assertEquals(0x4e_0000, big, "64 KiB folio, 64 KiB aligned, below the first");
        long below = a.allocateFolio(8);
        assertEquals(0x20_0000, below, "a 1 MiB folio cannot overlap the scratch area [3M, 4M)");
        assertEquals(List.of(new Preservation(new PhysRange(first, 4096), 0),
                new Preservation(new PhysRange(big, 0x1_0000), 4),
                new Preservation(new PhysRange(below, 0x10_0000), 8)), a.allocations());
        for (Preservation p : a.allocations()) {
            assertTrue(!p.range().overlaps(scratch));
        }
    }

    @Test
    void writesStayInsideAllocatedFoliosAndFoliosStartZeroed() throws Exception {
        PhysicalMemory mem = PhysicalMemory.sparse(List.of(RAM));
        mem.write(0x4f_f000, new byte[] {9, 9, 9});
        PreservedAllocator a = PreservedAllocator.over(mem, 4096, List.of(RAM), List.of());
        long p = a.allocate(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2, 0}, mem.read(p, 3));
        assertThrows(PhysicalMemoryException.class, () -> a.write(p + 4095, new byte[2]));
        assertThrows(PhysicalMemoryException.class, () -> a.write(0x10_0000, new byte[1]));
        assertEquals(2, a.orderFor(3 * 4096));
        assertEquals(0, a.orderFor(0));
    }

    @Test
    void runningOutIsATypedError() throws Exception {
        PhysRange tiny = new PhysRange(0x10_0000, 0x2000);
        PreservedAllocator a = PreservedAllocator.over(PhysicalMemory.sparse(List.of(tiny)), 4096, List.of(tiny),
                List.of());
        a.allocateFolio(0);
        a.allocateFolio(0);
        assertThrows(PhysicalMemoryException.class, () -> a.allocateFolio(0));
    }
}
