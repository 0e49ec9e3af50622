package io.kho4j.cli;

import io.kho4j.testsupport.ExternalTools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.fdt.FdtValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    /** Linux 6.16 Documentation/core-api/kho/fdt.rst, quoted in kho-abi.md §1. */
    private static final String DOC_ROOT = "/dts-v1/;\n/ {\n compatible = \"kho-v1\";\n"
            + " preserved-memory-map = <0x40be16 0x1000000>;\n memblock {\n  fdt = <0x1517 0x1000000>;\n };\n};\n";
    private static final String DOC_MEMBLOCK = "/dts-v1/;\n/ {\n compatible = \"memblock-v1\";\n"
            + " n1 {\n  compatible = \"reserve-mem-v1\";\n  start = <0xc06b 0x4000000>;\n  size = <0x04 0x00>;\n };\n"
            + " n2 {\n  compatible = \"reserve-mem-v1\";\n  start = <0xc067 0x4000000>;\n  size = <0x04 0x00>;\n };\n};\n";

    @TempDir
    Path dir;

    @Test
    void writesBothTreesAndTheirDumpsAndSaysItIsTheFdtPartOnly() throws Exception {
        Path out = dir.resolve("demo-out");
        Cli.Result r = Cli.run("demo", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err());
        assertEquals(List.of("kho-root.dtb", "kho-root.txt", "memblock.dtb", "memblock.txt"), TestFiles.list(out));
        assertTrue(r.out().startsWith("kho demo: FDT part only (the simulated-host handover is not implemented yet).\n"),
                r.out());
        assertTrue(r.out().endsWith("\n" + DemoCommand.NOT_YET + "\n"), r.out());
        for (String blob : List.of("kho-root", "memblock")) {
            FdtValidator.standard().validate(Files.readAllBytes(out.resolve(blob + ".dtb")));
            String dump = Cli.run("fdt", "dump", out.resolve(blob + ".dtb").toString()).out();
            assertEquals(dump, Files.readString(out.resolve(blob + ".txt")));
            assertTrue(r.out().contains("== " + blob + ".dtb, canonical dump\n" + dump), r.out());
        }
    }

    @Test
    void theTreesHoldTheDocumentedBytes() throws Exception {
        Path out = dir.resolve("o");
        assertEquals(0, Cli.run("demo", "--out", out.toString()).exit());
        // dtc shows a little-endian u64 as two big-endian cells: <0x40be16 0x1000000> is 00 40 be 16 01 00 00 00
        assertEquals(List.of(
                "fdt version=17 last_comp_version=16 boot_cpuid_phys=0",
                "node /",
                "prop / compatible 6b686f2d763100",
                "prop / preserved-memory-map 0040be1601000000",
                "node /memblock",
                "prop /memblock fdt 0000151701000000"), Files.readAllLines(out.resolve("kho-root.txt")));
        List<String> memblock = Files.readAllLines(out.resolve("memblock.txt"));
        assertTrue(memblock.contains("prop /n1 start 0000c06b04000000"), memblock.toString());
        assertTrue(memblock.contains("prop /n2 start 0000c06704000000"), memblock.toString());
        assertTrue(memblock.contains("prop /n2 size 0000000400000000"), memblock.toString());
    }

    @Test
    void theTreesMatchTheKernelDocumentationCompiledByDtc() throws Exception {
        ExternalTools.requireDtc();
        Path out = dir.resolve("o");
        assertEquals(0, Cli.run("demo", "--out", out.toString()).exit());
        Path root = TestFiles.write(dir, "doc-root.dtb", ExternalTools.dtsToDtb(DOC_ROOT));
        Path memblock = TestFiles.write(dir, "doc-memblock.dtb", ExternalTools.dtsToDtb(DOC_MEMBLOCK));
        assertEquals(Cli.run("fdt", "dump", root.toString()).out(), Files.readString(out.resolve("kho-root.txt")));
        assertEquals(Cli.run("fdt", "dump", memblock.toString()).out(), Files.readString(out.resolve("memblock.txt")));
    }

    @Test
    void libfdtChecksTheTreesWhenInstalled() throws Exception {
        ExternalTools.requireLibfdt();
        Cli.Result r = Cli.run("demo", "--out", dir.toString());
        assertTrue(r.out().contains("Checked both: kho4j FdtValidator OK; libfdt fdt_check_full OK.\n"), r.out());
    }

    @Test
    void rerunningReplacesTheFilesAndLeavesNoTemporaries() throws Exception {
        assertEquals(0, Cli.run("demo", "--out", dir.toString()).exit());
        assertEquals(0, Cli.run("demo", "--json", "--out", dir.toString()).exit());
        assertEquals(List.of("kho-root.dtb", "kho-root.txt", "memblock.dtb", "memblock.txt"), TestFiles.list(dir));
    }

    @Test
    void jsonSaysWhatIsNotImplementedAndListsTheFiles() throws Exception {
        Cli.Result r = Cli.run("demo", "--json", "--out", dir.toString());
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("{\"handover\":\"not implemented yet; FDT part only\","), r.out());
        assertTrue(r.out().contains("\"files\":[\"" + dir.resolve("kho-root.dtb") + "\","), r.out());
        assertEquals(1, r.outLines().size());
    }

    @Test
    void anOutputPathThatIsAFileIsInvalidInput() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Cli.Result r = Cli.run("demo", "--out", file.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("kho demo: "), r.err());
    }
}
