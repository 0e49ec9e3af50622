package io.kho4j.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.KernelRelease;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.Preservation;
import io.kho4j.spi.PreservedAllocator;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SampleMachine;
import io.kho4j.spi.SampleStateProvider.Sample;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemorySampleProviderTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.16.0, 3", "6.18.0, 3", "6.19.0, 4", "7.1.0, 4", "7.2.0, 4"})
    void samplesPreserveEachRangeOnceAndRestoreEqual(String release, int expectedSamples) throws Exception {
        KernelRelease r = KernelRelease.parse(release);
        AbiGeneration g = AbiGeneration.forKernelRelease(r);
        SampleMachine machine = SampleMachine.detached(WriteContext.of(g), r, r);
        List<Sample<?>> samples = new MemorySampleProvider().samples(machine);
        assertEquals(expectedSamples, samples.size(), "LUO only from 6.19: " + samples);
        for (Sample<?> s : samples) {
            check(s, machine, g);
        }
    }

    private static <S> void check(Sample<S> sample, SampleMachine machine, AbiGeneration g) throws Exception {
        // the samples sit at the top of the detached machine's RAM; the serializers' own structures go low
        PhysRange low = new PhysRange(1L << 32, 1L << 32);
        SerializedSubtree out = Subtrees.write(sample.serializer(), sample.state(),
                sample.serializer().versionFor(g).orElseThrow(), machine.context(),
                PreservedAllocator.over(machine.memory(), machine.context().pageSize(), List.of(low), List.of()));
        Set<Preservation> seen = new HashSet<>();
        for (Preservation p : out.preservations()) {
            assertFalse(!seen.add(p), sample.serializer().name() + " preserves " + p + " twice");
        }
        @SuppressWarnings("unchecked")
        Restorer<S> restorer = (Restorer<S>) sample.serializer();
        S back = Subtrees.restore(restorer, InboundSubtree.of(out.name(), 0x1000, out.bytes(), g, machine.memory(),
                io.kho4j.fdt.FdtValidator.standard()),
                out.version());
        assertEquals(sample.state(), back);
    }
}
