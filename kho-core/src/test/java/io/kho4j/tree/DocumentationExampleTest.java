package io.kho4j.tree;

import io.kho4j.testsupport.ExternalTools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.KernelRelease;
import io.kho4j.abi.RootLayout;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.spi.InboundSubtree;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream documentation examples (Documentation/core-api/kho/fdt.rst and bindings/kho.yaml, 6.16; quoted in
 * kho-abi.md §1), compiled with dtc: our assembler writes the same content, and our parser reads the values the
 * documentation means (dtc prints each little-endian u64 as two big-endian cells).
 */
class DocumentationExampleTest {
    private static final String FDT_RST_ROOT = "/dts-v1/;\n"
            + "/ {\n"
            + "\tcompatible = \"kho-v1\";\n"
            + "\tpreserved-memory-map = <0x40be16 0x1000000>;\n"
            + "\tmemblock {\n"
            + "\t\tfdt = <0x1517 0x1000000>;\n"
            + "\t};\n"
            + "};\n";
    private static final String FDT_RST_MEMBLOCK = "/dts-v1/;\n"
            + "/ {\n"
            + "\tcompatible = \"memblock-v1\";\n"
            + "\tn1 {\n"
            + "\t\tcompatible = \"reserve-mem-v1\";\n"
            + "\t\tstart = <0xc06b 0x4000000>;\n"
            + "\t\tsize = <0x04 0x00>;\n"
            + "\t};\n"
            + "\tn2 {\n"
            + "\t\tcompatible = \"reserve-mem-v1\";\n"
            + "\t\tstart = <0xc067 0x4000000>;\n"
            + "\t\tsize = <0x04 0x00>;\n"
            + "\t};\n"
            + "};\n";
    /** 00 00 15 17 01 00 00 00 read as a little-endian u64. */
    private static final long MEMBLOCK_FDT = 0x1_1715_0000L;

    @TempDir
    Path dir;

    @BeforeEach
    void dtc() {
        ExternalTools.requireDtc();
    }

    @Test
    void assemblerWritesTheFdtRstRootContent() throws Exception {
        ValidatedFdt upstream = FdtValidator.standard().validate(ExternalTools.dtsToDtb(FDT_RST_ROOT));
        byte[] ours = TreeAssembler.create(AbiGeneration.KHO_V1_BITMAP512, RootLayout.SEQUENTIAL)
                .addSubtree("memblock", MEMBLOCK_FDT, 4096).build(0x1_16be_4000L);
        ValidatedFdt mine = FdtValidator.standard().validate(ours);
        assertEquals(canonical(upstream), canonical(mine));
        assertEquals(TreeCodec.decode(upstream), TreeCodec.decode(mine));
    }

    @Test
    void parserReadsTheDocumentedValues() throws Exception {
        byte[] root = ExternalTools.dtsToDtb(FDT_RST_ROOT);
        byte[] memblock = ExternalTools.dtsToDtb(FDT_RST_MEMBLOCK);
        PhysicalMemory ram = PhysicalMemory.ofHeap(MEMBLOCK_FDT, 8192);
        ram.write(MEMBLOCK_FDT, memblock);

        InboundResult result = KhoTreeParser.create().forSuccessor(KernelRelease.parse("6.16.0")).withMemory(ram)
                .parse(root);
        InboundResult.Accepted ok = assertInstanceOf(InboundResult.Accepted.class, result, result.toString());
        assertEquals(AbiGeneration.KHO_V1_BITMAP512, ok.generation());
        assertEquals(0x1_16be_4000L, ok.tree().memoryMap());
        assertEquals(List.of(new SubtreeRef("memblock", MEMBLOCK_FDT, java.util.OptionalLong.empty())),
                ok.tree().subtrees());
        assertEquals(List.of(), ok.issues());

        InboundSubtree sub = ok.blobs().get("memblock");
        assertEquals(List.of("memblock-v1"), sub.rootCompatibles());
        FdtNode n1 = sub.fdt().find("/n1").orElseThrow();
        assertEquals("reserve-mem-v1", n1.requireProperty("compatible").string());
        assertEquals(0x4_6bc0_0000L, n1.requireProperty("start").u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals(0x400_0000L, n1.requireProperty("size").u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals(0x4_67c0_0000L, sub.fdt().find("/n2").orElseThrow().requireProperty("start")
                .u64(ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void theKhoYamlExampleParsesWithoutAReleaseAsAmbiguousKhoV1() throws Exception {
        String dts = "/dts-v1/;\n/ {\n compatible = \"kho-v1\";\n preserved-memory-map = <0xf0be16 0x1000000>;\n"
                + " memblock {\n  fdt = <0x80cc16 0x1000000>;\n };\n};\n";
        InboundResult result = KhoTreeParser.create().parse(ExternalTools.dtsToDtb(dts));
        InboundResult.Accepted ok = assertInstanceOf(InboundResult.Accepted.class, result);
        assertEquals(List.of(AbiGeneration.KHO_V1_BITMAP512, AbiGeneration.KHO_V1_BITMAP_PAGE), ok.generations());
        assertEquals(0x1_16be_f000L, ok.tree().memoryMap());
        assertEquals(0x1_16cc_8000L, ok.tree().subtree("memblock").orElseThrow().address());
    }

    /** DESIGN.md §4's canonical dump, minus the header line (dtc and libfdt agree on it anyway). */
    static List<String> canonical(ValidatedFdt fdt) {
        List<String> out = new ArrayList<>();
        for (FdtNode n : fdt.nodes()) {
            out.add("node " + n.path());
            for (FdtProperty p : n.properties()) {
                String hex = HexFormat.of().formatHex(p.bytes());
                out.add("prop " + n.path() + " " + p.name() + (hex.isEmpty() ? "" : " " + hex));
            }
        }
        Optional.of(fdt.memoryReservations()).filter(r -> !r.isEmpty()).ifPresent(r -> out.add("rsv " + r));
        return out;
    }
}
