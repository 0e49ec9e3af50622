package io.kho4j.scratch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.preserve.PhysRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** memblock top-down placement as kho_reserve_scratch does it (kho-abi.md §3), worked out by hand. */
class ScratchPlanTest {
    private static final long M = 1L << 20;
    private static final long G = 1L << 30;

    /**
     * Node 0: [0, 2G) and [4G, 8G); node 1: [8G, 16G). Firmware/kernel image reserved at [16M, 48M); kernel
     * memblock allocations of 16 MiB just below 2 GiB and 64 MiB just below 8 GiB, both on node 0.
     */
    private static MachineDescription.Builder twoNodes() {
        return MachineDescription.builder()
                .bank(PhysRange.ofEnd(0, 2 * G), 0)
                .bank(PhysRange.ofEnd(4 * G, 8 * G), 0)
                .bank(PhysRange.ofEnd(8 * G, 16 * G), 1)
                .reserved(PhysRange.ofEnd(16 * M, 48 * M))
                .kernelReserved(new PhysRange(2 * G - 16 * M, 16 * M))
                .kernelReserved(new PhysRange(8 * G - 64 * M, 64 * M));
    }

    private static ScratchPlan plan(MachineDescription m, String cmdline, ScratchRules rules) {
        return ScratchPlan.plan(m, KhoCommandLine.parse(cmdline, rules), rules, false);
    }

    @Test
    void explicitSizesOnTwoNodesArePlacedTopDown() {
        ScratchPlan p = plan(twoNodes().build(), "kho=on kho_scratch=16M,512M,256M", ScratchRules.V7_1);
        assertTrue(p.feasible(), p.failure().orElse(""));
        // array: 4 entries, one page at the very top of node 1
        assertEquals(16 * G - 4096, p.arrayAddress());
        assertEquals(4, p.arrayEntries());
        assertEquals(List.of(
                // below 0xffffffff the top free range is [48M, 2G - 16M): round_down(2G - 16M - 16M, 2M)
                new ScratchArea(ScratchArea.Role.LOWMEM, -1, 2 * G - 32 * M, 16 * M),
                // below the array page: round_down(16G - 4K - 512M, 2M)
                new ScratchArea(ScratchArea.Role.GLOBAL, -1, 16 * G - 512 * M - 2 * M, 512 * M),
                // node 0's top free range ends where the 64 MiB kernel allocation starts
                new ScratchArea(ScratchArea.Role.NODE, 0, 8 * G - 64 * M - 256 * M, 256 * M),
                // node 1 below the global area
                new ScratchArea(ScratchArea.Role.NODE, 1, 16 * G - 514 * M - 256 * M, 256 * M)), p.areas());

        ByteBuffer expected = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (ScratchArea a : p.areas()) {
            expected.putLong(a.address()).putLong(a.size());
        }
        assertArrayEquals(expected.array(), p.arrayBytes(ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void thePercentFormScalesKernelReservedMemory() {
        ScratchPlan p = plan(twoNodes().build(), "kho=on", ScratchRules.V7_1);
        assertTrue(p.feasible(), p.failure().orElse(""));
        // 200% of 16 MiB below 4 GiB; 200% of 80 MiB in total, minus lowmem; node 0 holds all 80 MiB
        assertEquals(32 * M, p.lowmemSize());
        assertEquals(128 * M, p.globalSize());
        assertEquals(160 * M, p.areas().get(2).size());
        assertEquals(0, p.areas().get(3).size(), "node 1 has no kernel allocations: a zero-sized area");
        assertEquals(3, p.areaRanges().size(), "zero-sized areas exclude nothing");
    }

    @Test
    void explicitLowmemAndGlobalWereNotRoundedBefore71() {
        ScratchPlan before = plan(twoNodes().build(), "kho=on kho_scratch=3M,5M,7M", ScratchRules.LATER);
        assertEquals(List.of(3 * M, 5 * M, 8 * M, 8 * M), before.areas().stream().map(ScratchArea::size).toList());
        ScratchPlan after = plan(twoNodes().build(), "kho=on kho_scratch=3M,5M,7M", ScratchRules.V7_1);
        assertEquals(List.of(4 * M, 6 * M, 8 * M, 8 * M), after.areas().stream().map(ScratchArea::size).toList());
        ScratchPlan v73 = plan(twoNodes().build(), "kho=on kho_scratch=3M,5M,7M", ScratchRules.V7_3);
        assertEquals(List.of(4 * M, 8 * M, 8 * M, 8 * M), v73.areas().stream().map(ScratchArea::size).toList());
        assertTrue(v73.areas().stream().allMatch(a -> a.address() % (4 * M) == 0), "7.3 aligns to 4 MiB");
    }

    @Test
    void aMemorylessNodeDisablesKhoBefore71AndIsSkippedAfter() {
        MachineDescription m = twoNodes().onlineNodes(2).build();
        ScratchPlan before = plan(m, "kho=on kho_scratch=16M,512M,256M", ScratchRules.LATER);
        assertFalse(before.feasible());
        assertEquals(5, before.arrayEntries());
        assertTrue(before.failure().orElseThrow().startsWith("cannot place the node2 area: node 2 has no memory"),
                before.failure().orElseThrow());
        assertEquals(4, before.areas().size(), "lowmem, global, node0, node1 were placed first");

        ScratchPlan after = plan(m, "kho=on kho_scratch=16M,512M,256M", ScratchRules.V7_1);
        assertTrue(after.feasible());
        assertEquals(4, after.arrayEntries());
    }

    @Test
    void aLowmemAreaLargerThanLowRamCannotFit() {
        ScratchPlan p = plan(twoNodes().build(), "kho=on kho_scratch=3G,1G,1G", ScratchRules.V7_1);
        assertFalse(p.feasible());
        assertEquals("cannot place the lowmem area: no free 0xc0000000 bytes aligned to 0x200000 below 0xffffffff; "
                + "the kernel frees the areas it placed and disables kexec handover", p.failure().orElseThrow());
    }

    @Test
    void smallMachinesGetAZeroGlobalAreaFromUnsignedWrap() {
        // all kernel memory below 4 GiB: global = round_up(200% - round_up(200%)) wraps to 0 in u64
        MachineDescription vm = MachineDescription.builder().bank(PhysRange.ofEnd(0, G), 0)
                .kernelReserved(new PhysRange(256 * M, 50 * M + 4096)).build();
        ScratchPlan p = plan(vm, "kho=on", ScratchRules.V7_1);
        assertTrue(p.feasible(), p.failure().orElse(""));
        assertEquals(102 * M, p.lowmemSize());
        assertEquals(0, p.globalSize());
    }

    @Test
    void khoMustBeSwitchedOn() {
        ScratchPlan off = plan(twoNodes().build(), "kho_scratch=1G,1G,1G", ScratchRules.V6_16);
        assertFalse(off.enabled());
        assertTrue(off.areas().isEmpty());
        assertTrue(ScratchPlan.plan(twoNodes().build(), KhoCommandLine.parse("", ScratchRules.V7_1), ScratchRules.V7_1,
                true).enabled(), "CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT");
    }

    @Test
    void arraysDecodeBackByPosition() throws Exception {
        ScratchPlan p = plan(twoNodes().build(), "kho=on kho_scratch=16M,512M,256M", ScratchRules.V7_1);
        byte[] bytes = p.arrayBytes(ByteOrder.LITTLE_ENDIAN);
        byte[] withTail = java.util.Arrays.copyOf(bytes, bytes.length + 7);
        assertEquals(p.areas(), ScratchArray.decode(withTail, ByteOrder.LITTLE_ENDIAN), "trailing bytes ignored");
    }
}
