package io.kho4j.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.Preservation;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Random states, both node layouts and both versions: what is written restores equal and every page is preserved. */
class FtraceRoundTripTest {
    private static final int PAGE = 4096;
    private static final long BASE = 0x1_0000_0000L;

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 24).mapToObj(i -> 0x6674_7261_6365L + i * 7919).map(seed -> Arguments.of(
                "seed 0x" + Long.toHexString(seed), seed));
    }

    /** Pages are placed in distinct random page frames; each struct in its own slot of a struct page. */
    static FtraceState randomState(SplittableRandom r) {
        List<TraceEvent> events = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            events.add(new TraceEvent(r.nextInt(), r.nextInt()));
        }
        int arrays = r.nextInt(4);
        long nextFrame = BASE / PAGE + r.nextInt(64);
        long structSlot = 0;
        long structFrame = nextFrame++;
        List<TraceArray> out = new ArrayList<>();
        for (int a = 0; a < arrays; a++) {
            List<CpuBuffer> cpus = new ArrayList<>();
            int cpuCount = r.nextInt(5);
            int cpu = r.nextInt(3);
            for (int c = 0; c < cpuCount; c++, cpu += 1 + r.nextInt(300)) {
                List<BufferPage> pages = new ArrayList<>();
                for (int p = r.nextInt(6); p > 0; p--) {
                    if (structSlot == PAGE / 0x38) {
                        structSlot = 0;
                        structFrame = nextFrame++;
                    }
                    long bpage = structFrame * PAGE + structSlot++ * 0x38;
                    nextFrame += r.nextInt(3);
                    pages.add(BufferPage.of(bpage, BufferPageLayout.V1, nextFrame++ * PAGE, PAGE));
                }
                cpus.add(new CpuBuffer(cpu, pages));
            }
            out.add(new TraceArray(a == 0 ? TraceArray.GLOBAL : "instance" + a, r.nextInt(), cpus));
        }
        return new FtraceState(events, out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void everyLayoutAndVersionRoundTripsAndPreservesEveryPage(String name, long seed) throws Exception {
        FtraceState state = randomState(new SplittableRandom(seed));
        FtraceSubsystem reader = new FtraceSubsystem();
        for (NodeLayout nodes : NodeLayout.values()) {
            for (CompatibleString v : List.of(FtraceSubsystem.FTRACE_V1, FtraceSubsystem.FTRACE_V2)) {
                FtraceSubsystem writer = new FtraceSubsystem(v, nodes, BufferPageLayout.V1, PAGE);
                SerializedSubtree s = Subtrees.write(writer, state, v, WriteContext.of(AbiGeneration.KHO_V4_BLOCKS));
                assertEquals(state, reader.restore(InboundSubtree.of("ftrace", s.bytes()), v),
                        name + " " + nodes + " " + v);
                List<PhysRange> preserved = s.preservations().stream().map(Preservation::range).toList();
                for (TraceArray a : state.arrays()) {
                    for (CpuBuffer c : a.cpus()) {
                        for (BufferPage p : c.pages()) {
                            assertTrue(covered(preserved, p.data()) && covered(preserved, p.bpage()), name + ": " + p);
                        }
                    }
                }
                for (int i = 1; i < preserved.size(); i++) {
                    assertTrue(preserved.get(i - 1).end() < preserved.get(i).start(), "ranges merged and sorted");
                }
            }
        }
    }

    private static boolean covered(List<PhysRange> preserved, PhysRange r) {
        return preserved.stream().anyMatch(p -> p.contains(r));
    }
}
