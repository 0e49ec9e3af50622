package io.kho4j.cli;

import io.kho4j.testsupport.ExternalTools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FdtDumpCommandTest {
    @TempDir
    Path dir;

    @Test
    void canonicalIsTheDefaultAndMatchesTheHandWrittenDump() throws Exception {
        Path dtb = TestFiles.smallDtb(dir);
        Cli.Result r = Cli.run("fdt", "dump", dtb.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(String.join("\n", TestFiles.SMALL_CANONICAL) + "\n", r.out());
        assertEquals("", r.err());
        assertEquals(r.out(), Cli.run("fdt", "dump", "--format=canonical", dtb.toString()).out());
        assertEquals(r.out(), Cli.run("fdt", "dump", "--format", "CANONICAL", dtb.toString()).out());
    }

    @Test
    void theCheckedInBlobIsWhatTheInstalledDtcMakesOfItsSource() throws Exception {
        ExternalTools.requireDtc();
        String dts = new String(TestFiles.resource(TestFiles.SMALL + ".dts"));
        Path compiled = TestFiles.write(dir, "again.dtb", ExternalTools.dtsToDtb(dts));
        assertArrayEquals(TestFiles.resource(TestFiles.SMALL + ".dtb"), Files.readAllBytes(compiled));
    }

    @Test
    void dtsReadsLikeDtcOutput() throws Exception {
        Path dtb = TestFiles.smallDtb(dir);
        Cli.Result r = Cli.run("fdt", "dump", "--format=dts", dtb.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("/dts-v1/;\n\n"
                + "/memreserve/\t0x0000000080000000 0x0000000000100000;\n"
                + "/ {\n"
                + "\tcompatible = \"kho-v1\";\n"
                + "\tpreserved-memory-map = <0x40be16 0x1000000>;\n"
                + "\tempty;\n"
                + "\tlist = \"a\\0b\\tc\\0\";\n"
                + "\tbytes = [01 02 03];\n"
                + "\n"
                + "\tmemblock {\n"
                + "\t\tfdt = <0x1517 0x1000000>;\n"
                + "\n"
                + "\t\tdeeper@1 {\n"
                + "\t\t\tx = <0x01>;\n"
                + "\t\t};\n"
                + "\t};\n"
                + "\n"
                + "\tother {\n"
                + "\t};\n"
                + "};\n", r.out());
    }

    @Test
    void dtsIsWhatDebianDtcPrints() throws Exception {
        ExternalTools.requireDtc();
        Path dtb = TestFiles.smallDtb(dir);
        String dtc = ExternalTools.runOk("dtc", "-q", "-I", "dtb", "-O", "dts", dtb.toString());
        assertEquals(dtc, Cli.run("fdt", "dump", "--format=dts", dtb.toString()).out());
    }

    @Test
    void jsonHoldsTheCanonicalContent() throws Exception {
        Path dtb = TestFiles.smallDtb(dir);
        Cli.Result r = Cli.run("fdt", "dump", "--format=json", dtb.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("{\"version\": 17, \"last_comp_version\": 16, \"boot_cpuid_phys\": 0,\n"
                + " \"reservations\": [{\"address\": \"0x0000000080000000\", \"size\": \"0x0000000000100000\"}],\n"
                + " \"nodes\": [\n"
                + "  {\"path\": \"/\", \"properties\": [{\"name\": \"compatible\", \"length\": 7, \"value\": \"6b686f2d763100\"},"
                + " {\"name\": \"preserved-memory-map\", \"length\": 8, \"value\": \"0040be1601000000\"},"
                + " {\"name\": \"empty\", \"length\": 0, \"value\": \"\"},"
                + " {\"name\": \"list\", \"length\": 7, \"value\": \"61006209630000\"},"
                + " {\"name\": \"bytes\", \"length\": 3, \"value\": \"010203\"}]},\n"
                + "  {\"path\": \"/memblock\", \"properties\": [{\"name\": \"fdt\", \"length\": 8, \"value\": \"0000151701000000\"}]},\n"
                + "  {\"path\": \"/memblock/deeper@1\", \"properties\": [{\"name\": \"x\", \"length\": 4, \"value\": \"00000001\"}]},\n"
                + "  {\"path\": \"/other\", \"properties\": []}\n"
                + " ]}\n", r.out());
        assertEquals(r.out(), Cli.run("fdt", "dump", "--json", dtb.toString()).out());
        assertEquals(r.out(), Cli.run("fdt", "dump", "--json", "--format=json", dtb.toString()).out());
    }

    @Test
    void invalidBlobExitsOneWithOneLineNamingFileKindAndOffset() throws Exception {
        Path bad = TestFiles.truncated(dir, 100);
        Cli.Result r = Cli.run("fdt", "dump", bad.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("kho fdt dump: " + bad + ": INVALID TRUNCATED at offset 100: blob is 100 bytes but its header"
                + " says totalsize 323\n", r.err());
    }

    @Test
    void missingFileAndDirectoryAreInvalidInput() throws Exception {
        Path none = dir.resolve("none.dtb");
        Cli.Result missing = Cli.run("fdt", "dump", none.toString());
        assertEquals(1, missing.exit());
        assertEquals("kho fdt dump: no such file: " + none + "\n", missing.err());
        Cli.Result directory = Cli.run("fdt", "dump", dir.toString());
        assertEquals(1, directory.exit());
        assertEquals(List.of("kho fdt dump: " + dir + ": Is a directory"), directory.errLines());
    }

    static Stream<List<String>> usageErrors() {
        return Stream.of(
                List.of("fdt", "dump"),
                List.of("fdt", "dump", "--format=xml", "x.dtb"),
                List.of("fdt", "dump", "--bogus", "x.dtb"),
                List.of("fdt", "dump", "--json", "--format=dts", "x.dtb"),
                List.of("fdt", "dump", "a.dtb", "b.dtb"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsExitTwoWithOneLine(List<String> args) {
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("kho fdt dump: ") && r.err().endsWith("(see 'kho fdt dump --help')\n"),
                r.err());
    }
}
