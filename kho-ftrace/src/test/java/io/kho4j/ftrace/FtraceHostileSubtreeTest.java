package io.kho4j.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.NegotiationException;
import io.kho4j.abi.VersionNegotiation;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import io.kho4j.tree.TreeCodec;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed ftrace subtrees: each is refused with a RestoreException naming where. */
class FtraceHostileSubtreeTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final FtraceSubsystem READER = new FtraceSubsystem();
    private static final long[] ONE_PAGE = {0x1_0000_0000L, 0x38, 0x1_0000_1000L, 0x1000};

    private static Property compatible(String s) {
        return Property.strings("compatible", s);
    }

    /** @return a cpu node: compatible {@code layout}, then {@code props} */
    private static KhoNode cpu(String name, String layout, Property... props) {
        KhoNode.Builder b = KhoNode.builder(name).property(compatible(layout));
        for (Property p : props) {
            b.property(p);
        }
        return b.build();
    }

    private static KhoNode goodCpu(int cpu, long... mem) {
        return cpu("cpu" + Integer.toHexString(cpu), "ftrace,cpu-v1", Property.u32("cpu", cpu, LE),
                Property.u64s("mem", LE, mem));
    }

    private static KhoNode array(List<Property> props, KhoNode... children) {
        KhoNode.Builder b = KhoNode.builder("global_trace");
        props.forEach(b::property);
        for (KhoNode c : children) {
            b.child(c);
        }
        return b.build();
    }

    private static KhoNode v1Array(KhoNode... children) {
        return array(List.of(compatible("ftrace,array-v1"), Property.u32("trace_flags", 1, LE)), children);
    }

    private static byte[] tree(String version, Property events, KhoNode... arrays) {
        KhoNode.Builder root = KhoNode.builder("").property(compatible(version));
        if (events != null) {
            root.property(events);
        }
        for (KhoNode a : arrays) {
            root.child(a);
        }
        return TreeCodec.encode(root.build());
    }

    private static byte[] v1(KhoNode... arrays) {
        return tree("ftrace-v1", Property.of("events", new byte[0]), arrays);
    }

    private static String refused(byte[] blob, CompatibleString version) {
        RestoreException e = assertThrows(RestoreException.class,
                () -> READER.restore(InboundSubtree.of("ftrace", blob), version));
        assertEquals("ftrace", e.subsystem());
        return e.getMessage();
    }

    private static String refusedV1(KhoNode... arrays) {
        return refused(v1(arrays), FtraceSubsystem.FTRACE_V1);
    }

    /** @return the message refusing a v1 tree of one v1 array holding {@code cpus} */
    private static String refusedCpus(KhoNode... cpus) {
        return refusedV1(v1Array(cpus));
    }

    @Test
    void aWellFormedTreeRestores() throws Exception {
        FtraceState s = READER.restore(InboundSubtree.of("ftrace", v1(v1Array(goodCpu(0, ONE_PAGE)))),
                FtraceSubsystem.FTRACE_V1);
        assertEquals(1, s.pageCount());
    }

    @Test
    void anOddNumberOfMemElementsIsRefusedAtItsOffset() {
        String m = refusedCpus(goodCpu(0, 0x1_0000_0000L, 0x38, 0x1_0000_1000L, 0x1000, 0x1_0000_0038L, 0x38));
        assertTrue(m.contains("/global_trace/cpu0/mem at offset") && m.contains("odd number of elements (3)"), m);
    }

    @Test
    void aMemLengthThatIsNotWholeElementsIsRefused() {
        String m = refusedCpus(cpu("cpu0", "ftrace,cpu-v1", Property.u32("cpu", 0, LE),
                Property.of("mem", new byte[20])));
        assertTrue(m.contains("length 20 is not a whole number"), m);
    }

    @Test
    void aBufferPageLengthOtherThanTheLayoutsIsRefused() {
        String m = refusedCpus(goodCpu(0, 0x1_0000_0000L, 0x40, 0x1_0000_1000L, 0x1000));
        assertTrue(m.contains("page 0: struct buffer_page at 0x100000000 has length 0x40, the layout of ftrace,cpu-v1"
                + " says 0x38"), m);
    }

    @Test
    void aDataPageThatIsNotOnePageIsRefused() {
        String m = refusedCpus(goodCpu(0, ONE_PAGE[0], 0x38, 0x1_0000_2000L, 0x2000));
        assertTrue(m.contains("data page at 0x100002000 has length 0x2000, not the page size 0x1000"), m);
    }

    @Test
    void grafsVerbatimExampleIsRefusedBecauseItsFirstDataPageIsUnaligned() {
        // kho-abi.md §6, verbatim: the first data page is at 0x101000100
        String m = refusedCpus(goodCpu(0, 0x101000000L, 0x38, 0x101000100L, 0x1000, 0x101000038L, 0x38,
                0x101002000L, 0x1000));
        assertTrue(m.contains("page 0: data page at 0x101000100 is not aligned to 0x1000"), m);
    }

    @Test
    void aSecondPageIsReportedAtItsOwnOffset() throws Exception {
        byte[] blob = v1(v1Array(goodCpu(0, ONE_PAGE[0], 0x38, ONE_PAGE[2], 0x1000, 0x1_0000_0038L, 0x38,
                0x1_0000_2800L, 0x1000)));
        int memValue = InboundSubtree.of("ftrace", blob).fdt().find("/global_trace/cpu0").orElseThrow()
                .property("mem").orElseThrow().valueOffset();
        String m = refused(blob, FtraceSubsystem.FTRACE_V1);
        assertTrue(m.contains("mem at offset " + (memValue + 32) + ": page 1: data page at 0x100002800"), m);
    }

    @Test
    void aBufferPageStraddlingAPageIsRefused() {
        String m = refusedCpus(goodCpu(0, 0x1_0000_0fe0L, 0x38, ONE_PAGE[2], 0x1000));
        assertTrue(m.contains("crosses a page boundary"), m);
    }

    @Test
    void addressesPastTwoToTheSixtyThreeAreRefused() {
        assertTrue(refusedCpus(goodCpu(0, -64, 0x38, ONE_PAGE[2], 0x1000)).contains("page 0: struct"));
        assertTrue(refusedCpus(goodCpu(0, ONE_PAGE[0], 0x38, -4096, 0x1000)).contains("is not aligned"));
    }

    @Test
    void overlappingPagesAcrossCpusAreRefused() {
        String m = refusedCpus(goodCpu(0, ONE_PAGE), goodCpu(1, 0x1_0000_0038L, 0x38, ONE_PAGE[2], 0x1000));
        assertTrue(m.contains("overlap at 0x100001000"), m);
    }

    @Test
    void aCpuNameThatDisagreesWithItsNumberIsRefused() {
        String m = refusedCpus(cpu("cpu10", "ftrace,cpu-v1", Property.u32("cpu", 10, LE),
                Property.u64s("mem", LE, ONE_PAGE)));
        assertTrue(m.contains("expected cpua, the kernel's \"cpu%x\""), m);
    }

    @Test
    void cpuNumbersBeyondTheBoundAreRefused() {
        assertTrue(refusedCpus(goodCpu(FtraceSubsystem.MAX_CPUS, ONE_PAGE)).contains("beyond the bound"));
        assertTrue(refusedCpus(cpu("cpu0", "ftrace,cpu-v1", Property.u32("cpu", -1, LE),
                Property.u64s("mem", LE, ONE_PAGE))).contains("CPU 4294967295 is beyond the bound of 8192"));
    }

    @Test
    void aRepeatedCpuNodeIsRefused() {
        String m = refusedCpus(goodCpu(0, ONE_PAGE), goodCpu(0, 0x1_0000_0038L, 0x38, 0x1_0000_2000L, 0x1000));
        assertTrue(m.contains("CPU 0 appears twice"), m);
    }

    @Test
    void cpuNodesBothBesideAndUnderBufferAreRefused() {
        // the buffer node and a directly attached cpu0 would give CPU 0 twice: refused as ambiguous
        KhoNode buffer = KhoNode.builder("buffer").child(goodCpu(0, ONE_PAGE)).build();
        String m = refusedCpus(buffer, goodCpu(1, 0x1_0000_0038L, 0x38, 0x1_0000_2000L, 0x1000));
        assertTrue(m.contains("beside the 'buffer' node"), m);
    }

    @Test
    void missingPropertiesAreNamed() {
        assertTrue(refused(tree("ftrace-v1", null, v1Array()), FtraceSubsystem.FTRACE_V1)
                .contains("missing property 'events'"));
        assertTrue(refusedV1(array(List.of(compatible("ftrace,array-v1")))).contains("missing property 'trace_flags'"));
        assertTrue(refusedV1(array(List.of(Property.u32("trace_flags", 1, LE)))).contains("missing property"
                + " 'compatible'"));
        assertTrue(refusedCpus(cpu("cpu0", "ftrace,cpu-v1", Property.u64s("mem", LE, ONE_PAGE)))
                .contains("node /global_trace/cpu0 at offset"));
        assertTrue(refusedCpus(cpu("cpu0", "ftrace,cpu-v1", Property.u32("cpu", 0, LE)))
                .contains("missing property 'mem'"));
    }

    @Test
    void wrongSizesAreRefused() {
        assertTrue(refusedCpus(cpu("cpu0", "ftrace,cpu-v1", Property.u64("cpu", 0, LE),
                Property.u64s("mem", LE, ONE_PAGE))).contains("must be a 4-byte u32, is 8 bytes"));
        assertTrue(refusedV1(array(List.of(compatible("ftrace,array-v1"), Property.of("trace_flags", new byte[2]))))
                .contains("trace_flags at offset"));
        assertTrue(refused(tree("ftrace-v1", Property.of("events", new byte[12])), FtraceSubsystem.FTRACE_V1)
                .contains("length 12 is not a whole number of {u32 crc, u32 type} pairs"));
    }

    @Test
    void aCpuNodeOfAnotherBufferPageLayoutIsRefused() {
        String m = refusedCpus(cpu("cpu0", "ftrace,cpu-v2", Property.u32("cpu", 0, LE),
                Property.u64s("mem", LE, ONE_PAGE)));
        assertTrue(m.contains("[ftrace,cpu-v2] is not the struct buffer_page layout this reader copies"), m);
    }

    @Test
    void v2RefusesWhatV1Ignores() throws Exception {
        KhoNode cpuWithExtra = cpu("cpu0", "ftrace,cpu-v1", Property.u32("cpu", 0, LE),
                Property.u64s("mem", LE, ONE_PAGE), Property.u32("extra", 0, LE));
        assertEquals(1, READER.restore(InboundSubtree.of("ftrace", v1(v1Array(cpuWithExtra, KhoNode.builder("notes")
                .build()))), FtraceSubsystem.FTRACE_V1).pageCount());
        KhoNode v2Array = array(List.of(compatible("ftrace,array-v2"), Property.u32("trace-flags", 1, LE)),
                cpuWithExtra);
        String m = refused(tree("ftrace-v2", Property.of("events", new byte[0]), v2Array), FtraceSubsystem.FTRACE_V2);
        assertTrue(m.contains("/global_trace/cpu0/extra at offset") && m.contains("property not allowed here"
                + " (only [compatible, cpu, mem])"), m);
        KhoNode v2WithNode = array(List.of(compatible("ftrace,array-v2"), Property.u32("trace-flags", 1, LE)),
                KhoNode.builder("notes").build());
        assertTrue(refused(tree("ftrace-v2", Property.of("events", new byte[0]), v2WithNode),
                FtraceSubsystem.FTRACE_V2).contains("not a cpu%x node"));
        KhoNode underscored = array(List.of(compatible("ftrace,array-v2"), Property.u32("trace_flags", 1, LE)));
        assertTrue(refused(tree("ftrace-v2", Property.of("events", new byte[0]), underscored),
                FtraceSubsystem.FTRACE_V2).contains("trace_flags at offset"));
    }

    @Test
    void aV1OnlyReaderRefusesV2ThroughNegotiation() {
        List<String> found = List.of("ftrace-v2");
        assertTrue(VersionNegotiation.best(found, List.of(FtraceSubsystem.FTRACE_V1)).isEmpty());
        NegotiationException e = assertThrows(NegotiationException.class, () -> VersionNegotiation.create()
                .offer("ftrace", found, List.of(FtraceSubsystem.FTRACE_V1)).resolve());
        assertEquals("ftrace", e.mismatches().get(0).subsystem());
        // and the v1 code path on v2 bytes does not half-read them
        byte[] v2 = FtraceGoldenBytesTest.golden(true, true);
        assertTrue(refused(v2, FtraceSubsystem.FTRACE_V1).contains("does not contain \"ftrace,array-v1\""));
    }
}
