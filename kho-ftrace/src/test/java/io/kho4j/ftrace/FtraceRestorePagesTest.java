package io.kho4j.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.KernelRelease;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.SampleMachine;
import io.kho4j.spi.SampleStateProvider;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The successor's half: old buffer_page structs read back from memory; layouts bound to compatible strings. */
class FtraceRestorePagesTest {
    private static final WriteContext CONTEXT = WriteContext.of(AbiGeneration.KHO_V4_BLOCKS);

    private static SampleMachine machine() {
        KernelRelease r = KernelRelease.of(7, 2, 0);
        return SampleMachine.detached(CONTEXT, r, r);
    }

    @Test
    void theSampleProviderHandsOverEveryCpuAndItsStructsRestore() throws Exception {
        SampleMachine m = machine();
        List<SampleStateProvider.Sample<?>> samples = new FtraceSampleProvider().samples(m);
        assertEquals(1, samples.size());
        FtraceState state = (FtraceState) samples.get(0).state();
        FtraceSubsystem subsystem = new FtraceSubsystem();
        SerializedSubtree s = Subtrees.write(subsystem, state, CONTEXT);
        FtraceState back = subsystem.restore(InboundSubtree.of("ftrace", 0, s.bytes(), AbiGeneration.KHO_V4_BLOCKS,
                m.memory(), io.kho4j.fdt.FdtValidator.standard()), FtraceSubsystem.FTRACE_V1);
        assertEquals(state, back);
        assertEquals(m.cpus() * (FtraceSampleProvider.PAGES_PER_CPU + 1), back.pageCount());
        for (TraceArray a : back.arrays()) {
            for (CpuBuffer c : a.cpus()) {
                for (RestoredPage p : subsystem.restorePages(c, m.memory())) {
                    assertEquals(1, p.entries());
                    assertEquals(p.write(), p.realEnd());
                    byte[] text = m.memory().read(p.page().data().start() + 16, (int) p.write());
                    String line = new String(text, StandardCharsets.US_ASCII);
                    assertTrue(line.startsWith(a.name() + " cpu " + c.cpu() + " page "), line);
                }
            }
        }
    }

    @Test
    void fieldsOutsideTheDataPageAreRefusedByAddress() throws Exception {
        SampleMachine m = machine();
        BufferPageLayout layout = BufferPageLayout.V1;
        TraceArray array = FtraceSamples.ringBuffers(m, layout, TraceArray.GLOBAL, 2, 2, false);
        BufferPage victim = array.cpus().get(1).pages().get(1);
        m.memory().write(victim.bpage().start(), layout.encode(0x1001, 3, 0x10), 0, layout.size());
        FtraceSubsystem subsystem = new FtraceSubsystem();
        assertEquals(0, subsystem.restorePages(array.cpus().get(0), m.memory()).get(1).write());
        RestoreException e = assertThrows(RestoreException.class, () -> subsystem.restorePages(array.cpus().get(1),
                m.memory()));
        assertTrue(e.getMessage().contains(String.format("cpu 1: struct buffer_page at 0x%x has write=0x1001",
                victim.bpage().start())), e.getMessage());
        m.memory().write(victim.bpage().start(), layout.encode(0, -1, 0), 0, layout.size());
        assertThrows(RestoreException.class, () -> subsystem.restorePages(array.cpus().get(1), m.memory()));
    }

    @Test
    void aStructOutsideRamIsRefused() {
        CpuBuffer far = new CpuBuffer(3, List.of(BufferPage.of(0x10, BufferPageLayout.V1, 0x1000, 4096)));
        RestoreException e = assertThrows(RestoreException.class, () -> new FtraceSubsystem().restorePages(far,
                machine().memory()));
        assertTrue(e.getMessage().contains("cpu 3: struct buffer_page at 0x10"), e.getMessage());
    }

    @Test
    void aChangedStructNeedsANewCpuCompatibleAndIsRefusedByAnOldReader() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new BufferPageLayout(BufferPageLayout.CPU_V1, 0x40, 0x10,
                0x20, 0x28));
        assertThrows(IllegalArgumentException.class, () -> new BufferPageLayout(CompatibleString.of("ftrace-v2"), 0x40,
                0x10, 0x20, 0x28));
        assertThrows(IllegalArgumentException.class, () -> new BufferPageLayout(CompatibleString.of("ftrace,cpu-v2"),
                0x40, 0x10, 0x20, 0x3c));
        BufferPageLayout v2 = new BufferPageLayout(CompatibleString.of("ftrace,cpu-v2"), 0x40, 0x10, 0x20, 0x28);
        FtraceSubsystem newKernel = new FtraceSubsystem(FtraceSubsystem.FTRACE_V1, NodeLayout.V3_READER_PATH, v2, 4096);
        SerializedSubtree s = Subtrees.write(newKernel, FtraceSamples.grafExample(v2), CONTEXT);
        String blob = new String(s.bytes(), StandardCharsets.ISO_8859_1);
        assertTrue(blob.contains("ftrace,cpu-v2\0") && !blob.contains("ftrace,cpu-v1"));
        assertEquals(FtraceSamples.grafExample(v2), newKernel.restore(InboundSubtree.of("ftrace", s.bytes()),
                FtraceSubsystem.FTRACE_V1));
        RestoreException e = assertThrows(RestoreException.class, () -> new FtraceSubsystem().restore(
                InboundSubtree.of("ftrace", s.bytes()), FtraceSubsystem.FTRACE_V1));
        assertTrue(e.getMessage().contains("layout this reader copies (ftrace,cpu-v1)"), e.getMessage());
        assertFalse(newKernel.layouts(FtraceSubsystem.FTRACE_V1, CONTEXT).get(0).equals(BufferPageLayout.V1
                .structLayout()));
    }

    @Test
    void v1StructLayoutIsTheDocumentedDerivation() {
        byte[] s = BufferPageLayout.V1.encode(0x123, 7, 0x456);
        assertEquals(0x38, s.length);
        assertEquals(0x23, s[0x10]);
        assertEquals(0x01, s[0x11]);
        assertEquals(7, s[0x20]);
        assertEquals(0x56, s[0x28]);
    }
}
