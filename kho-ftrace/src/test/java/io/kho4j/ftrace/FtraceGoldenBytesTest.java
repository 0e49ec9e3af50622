package io.kho4j.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.Preservation;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import io.kho4j.testkit.AbiPin;
import io.kho4j.testsupport.ExternalTools;
import io.kho4j.testsupport.GoldenBytes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The page-aligned Graf example (kho-abi.md §6) against bytes assembled by hand from the FDT format and libfdt's
 * sequential writer, in both node layouts and in kho4j's v2; and against dtc's decompilation.
 */
class FtraceGoldenBytesTest {
    private static final WriteContext CONTEXT = WriteContext.of(AbiGeneration.KHO_V4_BLOCKS);
    private static final FtraceState EXAMPLE = FtraceSamples.grafExample(BufferPageLayout.V1);
    private static final long[] MEM = {0x1_0100_0000L, 0x38, 0x1_0100_1000L, 0x1000, 0x1_0100_0038L, 0x38,
        0x1_0100_2000L, 0x1000};

    private static FtraceSubsystem subsystem(NodeLayout nodes) {
        return new FtraceSubsystem(FtraceSubsystem.FTRACE_V1, nodes, BufferPageLayout.V1, 4096);
    }

    /**
     * Strings are added compatible, events, trace_flags, cpu, mem and libfdt stores the newest first:
     * "mem\0" 0, "cpu\0" 4, "trace_flags\0" 8, "events\0" 20, "compatible\0" 27; 38 bytes. The structure starts at
     * 64 (40-byte header, 8 bytes padding, 16-byte reservation terminator at 48).
     */
    static byte[] golden(boolean bufferNode, boolean v2) {
        int structSize = 280 + (bufferNode ? 16 : 0);
        GoldenBytes b = new GoldenBytes();
        b.be32(GoldenBytes.FDT_MAGIC, 64 + structSize + 38, 64, 64 + structSize, 48, 17, 16, 0, 38, structSize);
        b.zeros(8).zeros(16);
        b.be32(GoldenBytes.BEGIN_NODE).zeros(4);                                    // 64: root ""
        b.be32(GoldenBytes.PROP, 10, 27).ascii(v2 ? "ftrace-v2\0" : "ftrace-v1\0").zeros(2); // 72: compatible
        b.be32(GoldenBytes.PROP, 24, 20);                                           // 96: events, 3 pairs
        for (int i = 1; i <= 3; i++) {
            b.le32(i).le32(i);
        }
        b.be32(GoldenBytes.BEGIN_NODE).ascii("global_trace\0").zeros(3);            // 132
        b.be32(GoldenBytes.PROP, 16, 27).ascii(v2 ? "ftrace,array-v2\0" : "ftrace,array-v1\0"); // 152
        b.be32(GoldenBytes.PROP, 4, 8).le32(0x3354601);                             // 180: trace_flags
        if (bufferNode) {
            b.be32(GoldenBytes.BEGIN_NODE).ascii("buffer\0").zeros(1);              // 196
        }
        b.be32(GoldenBytes.BEGIN_NODE).ascii("cpu0\0").zeros(3);
        b.be32(GoldenBytes.PROP, 14, 27).ascii("ftrace,cpu-v1\0").zeros(2);
        b.be32(GoldenBytes.PROP, 4, 4).le32(0);                                     // cpu
        b.be32(GoldenBytes.PROP, 64, 0);                                            // mem
        for (long v : MEM) {
            b.le64(v);
        }
        b.be32(GoldenBytes.END_NODE);                                               // cpu0
        if (bufferNode) {
            b.be32(GoldenBytes.END_NODE);
        }
        b.be32(GoldenBytes.END_NODE, GoldenBytes.END_NODE, GoldenBytes.END);        // array, root
        b.ascii(v2 ? "mem\0cpu\0trace-flags\0events\0compatible\0" : "mem\0cpu\0trace_flags\0events\0compatible\0");
        assertEquals(64 + structSize + 38, b.size());
        return b.bytes();
    }

    @Test
    void bindingExampleLayoutEncodesToTheHandBuiltBytes() {
        AbiPin.assertEncodes(subsystem(NodeLayout.BINDING_EXAMPLE), EXAMPLE, FtraceSubsystem.FTRACE_V1, CONTEXT,
                golden(false, false));
    }

    @Test
    void v3ReaderPathLayoutEncodesToTheHandBuiltBytes() {
        AbiPin.assertEncodes(subsystem(NodeLayout.V3_READER_PATH), EXAMPLE, FtraceSubsystem.FTRACE_V1, CONTEXT,
                golden(true, false));
    }

    @Test
    void reviewFixedV2EncodesToTheHandBuiltBytes() {
        AbiPin.assertEncodes(subsystem(NodeLayout.V3_READER_PATH), EXAMPLE, FtraceSubsystem.FTRACE_V2, CONTEXT,
                golden(true, true));
    }

    @ParameterizedTest
    @EnumSource(AbiGeneration.class)
    void theFormatDoesNotDependOnTheGeneration(AbiGeneration g) {
        AbiPin.assertEncodes(new FtraceSubsystem(), EXAMPLE, new FtraceSubsystem().versionFor(g).orElseThrow(),
                WriteContext.of(g), golden(true, false));
    }

    @Test
    void handBuiltBytesOfEitherLayoutAndVersionRestore() throws Exception {
        FtraceSubsystem reader = new FtraceSubsystem();
        for (boolean buffer : new boolean[] {false, true}) {
            assertEquals(EXAMPLE, reader.restore(InboundSubtree.of("ftrace", golden(buffer, false)),
                    FtraceSubsystem.FTRACE_V1));
        }
        assertEquals(EXAMPLE, reader.restore(InboundSubtree.of("ftrace", golden(true, true)),
                FtraceSubsystem.FTRACE_V2));
    }

    @Test
    void bufferPageStructsArePreservedByTheirContainingPage() {
        SerializedSubtree s = Subtrees.write(new FtraceSubsystem(), EXAMPLE, CONTEXT);
        // both 0x38-byte structs sit in the page at 0x101000000; the data pages follow it, so one range
        assertEquals(List.of(new Preservation(new PhysRange(0x1_0100_0000L, 0x3000), -1)), s.preservations());
    }

    /** dtc prints each CPU-native u64 as two 32-bit cells, each byte-swapped, as "0x%02x" (kho-abi.md §1, §8). */
    private static String cells(long... u64s) {
        StringBuilder sb = new StringBuilder();
        for (long v : u64s) {
            sb.append(sb.length() == 0 ? "" : " ").append(cell((int) v)).append(' ').append(cell((int) (v >>> 32)));
        }
        return sb.toString();
    }

    private static String cell(int le) {
        return String.format("0x%02x", Integer.toUnsignedLong(Integer.reverseBytes(le)));
    }

    @Test
    void dtcDecompilesTheBindingExampleLayoutToTheExpectedSource() throws Exception {
        String expected = "/dts-v1/;\n\n/ {\n"
                + "\tcompatible = \"ftrace-v1\";\n"
                + "\tevents = <" + cell(1) + " " + cell(1) + " " + cell(2) + " " + cell(2) + " " + cell(3) + " "
                + cell(3) + ">;\n\n"
                + "\tglobal_trace {\n"
                + "\t\tcompatible = \"ftrace,array-v1\";\n"
                + "\t\ttrace_flags = <" + cell(0x3354601) + ">;\n\n"
                + "\t\tcpu0 {\n"
                + "\t\t\tcompatible = \"ftrace,cpu-v1\";\n"
                + "\t\t\tcpu = <0x00>;\n"
                + "\t\t\tmem = <" + cells(MEM) + ">;\n"
                + "\t\t};\n"
                + "\t};\n"
                + "};\n";
        byte[] blob = Subtrees.write(subsystem(NodeLayout.BINDING_EXAMPLE), EXAMPLE, FtraceSubsystem.FTRACE_V1,
                CONTEXT).bytes();
        assertEquals(expected, ExternalTools.dtbToDts(blob));
    }
}
