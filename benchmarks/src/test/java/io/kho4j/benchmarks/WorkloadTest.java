package io.kho4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.tree.TreeCodec;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each workload is the tree its name and javadoc claim, and the two Java encoders agree on its bytes. */
class WorkloadTest {

    private static ValidatedFdt validated(Workload w) throws FdtFormatException {
        return FdtValidator.standard().validate(w.script().encode());
    }

    @Test
    void smallHasFourSubsystemsOfSixteenRanges() throws FdtFormatException {
        ValidatedFdt fdt = validated(Workload.SMALL);
        List<FdtNode> subsystems = fdt.root().children();
        assertEquals(4, subsystems.size());
        for (FdtNode sub : subsystems) {
            assertEquals(8, sub.requireProperty("fdt").length());
            List<FdtNode> ranges = sub.children();
            assertEquals(Workload.RANGES_PER_SUBSYSTEM, ranges.size());
            for (FdtNode r : ranges) {
                long start = r.requireProperty("start").u64(ByteOrder.LITTLE_ENDIAN);
                assertEquals("range@" + Long.toHexString(start), r.name());
                assertTrue(r.requireProperty("size").u64(ByteOrder.LITTLE_ENDIAN) >= 0x1000);
            }
        }
        assertEquals(1 + 4 + 4 * 16, fdt.nodeCount());
        assertEquals(2 + 4 * 2 + 4 * 16 * 2, fdt.propertyCount());
    }

    @Test
    void ftraceHas256CpusOf1024MemPairs() throws FdtFormatException {
        ValidatedFdt fdt = validated(Workload.FTRACE);
        List<FdtNode> cpus = fdt.root().children();
        assertEquals(Workload.FTRACE_CPUS, cpus.size());
        for (int cpu = 0; cpu < cpus.size(); cpu++) {
            FdtNode n = cpus.get(cpu);
            assertEquals("cpu" + Integer.toHexString(cpu), n.name());
            assertEquals("ftrace,cpu-v1", n.requireProperty("compatible").string());
            assertEquals(cpu, n.requireProperty("cpu").u32(ByteOrder.LITTLE_ENDIAN));
            long[] mem = n.requireProperty("mem").u64Array(ByteOrder.LITTLE_ENDIAN);
            assertEquals(Workload.FTRACE_PAIRS_PER_CPU * 2, mem.length);
            assertEquals(0x1000L, mem[mem.length - 1]);
        }
    }

    @Test
    void bigPropertyIsOne16MegabyteValue() throws FdtFormatException {
        ValidatedFdt fdt = validated(Workload.BIG_PROPERTY);
        FdtProperty mem = fdt.find("/guest-ram").orElseThrow().requireProperty("mem");
        assertEquals(16_000_000, mem.length());
        assertEquals(Workload.BIG_PROPERTY_PAIRS * 2, mem.u64Array(ByteOrder.LITTLE_ENDIAN).length);
        assertEquals(2, fdt.nodeCount());
    }

    @Test
    void manyNodesHas100000NodesOf8Properties() throws FdtFormatException {
        ValidatedFdt fdt = validated(Workload.MANY_NODES);
        List<FdtNode> pages = fdt.root().children();
        assertEquals(Workload.MANY_NODES_COUNT, pages.size());
        for (FdtNode page : pages) {
            assertEquals(8, page.properties().size(), page.path());
        }
        assertEquals(1 + 8 * Workload.MANY_NODES_COUNT, fdt.propertyCount());
    }

    @Test
    void manyNamesHas10000DistinctPropertyNames() throws FdtFormatException {
        ValidatedFdt fdt = validated(Workload.MANY_NAMES);
        Set<String> names = new HashSet<>();
        for (FdtProperty p : fdt.find("/params").orElseThrow().properties()) {
            names.add(p.name());
        }
        assertEquals(Workload.MANY_NAMES_COUNT, names.size());
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void scriptCountsMatchTheBlob(Workload w) throws FdtFormatException {
        TreeScript script = w.script();
        ValidatedFdt fdt = FdtValidator.standard().validate(script.encode());
        assertEquals(script.nodeCount(), fdt.nodeCount());
        assertEquals(script.propertyCount(), fdt.propertyCount());
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void treeCodecAndSequentialWriterGiveTheSameBytes(Workload w) {
        TreeScript script = w.script();
        byte[] viaTree = TreeCodec.encode(script.toTree(), List.of(),
                FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL));
        assertArrayEquals(script.encode(), viaTree);
    }
}
