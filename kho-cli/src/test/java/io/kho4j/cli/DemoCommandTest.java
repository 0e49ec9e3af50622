package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kho demo} end to end: each run boots a simulated machine and starts the successor as a second JVM.
 * The sample state comes from kho-core's test subsystem, registered in this module's test resources
 * (META-INF/services), as a subsystem module registers its own.
 */
class DemoCommandTest {
    private static final List<String> FILES = List.of("kho-root.dtb", "machine", "report.html", "report.json",
            "report.txt", "subtree-LUO.bin", "subtree-ftrace.dtb", "subtree-kexec-metadata.bin",
            "subtree-kho4j-sample.bin", "subtree-kho_test.dtb", "subtree-memblock.dtb", "subtree-vm-memory.bin");

    @TempDir
    Path dir;

    @Test
    void theDefaultDemoHandsOverAndIsVerifiedByASecondProcess() throws Exception {
        Cli.Result r = Cli.run("demo", "--out", dir.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("kho demo: x86-64, 64 GiB in 2 NUMA nodes from 0x0, 4 KiB pages, Linux 7.4.0 ->"
                + " 7.4.0\n"), r.out());
        assertTrue(r.out().contains("generation  KHO_V4_BLOCKS (root \"kho-v4\""), r.out());
        assertTrue(r.out().contains("kho_bootmem=16M,512M,256M"), "7.4 names scratch bootmem: " + r.out());
        assertTrue(r.out().contains("kho4j-sample     kho4j,sample-v2"), r.out());
        assertTrue(r.out().contains("kexec-metadata   kexec-metadata-v1"), r.out());
        assertTrue(r.out().contains("setup_data node at 0x"), r.out());
        for (String subsystem : new String[] {"memblock         memblock-v1", "vm-memory        kho4j,vm-memory-v2",
                "LUO              luo-v5", "kho_test         kho-test-v1"}) {
            assertTrue(r.out().contains(subsystem), "kho-memory's samples plug in through ServiceLoader: " + r.out());
        }
        assertTrue(r.out().contains("ftrace           ftrace-v1"), "kho-ftrace's sample plugs in: " + r.out());
        assertTrue(r.out().contains("restored 7 of 7 subsystems"), r.out());
        assertTrue(r.out().contains("\nVERIFIED\nfiles       "), r.out());
        Matcher pid = Pattern.compile("successor   pid (\\d+),").matcher(r.out());
        assertTrue(pid.find(), r.out());
        assertNotEquals(ProcessHandle.current().pid(), Long.parseLong(pid.group(1)), "the successor is another JVM");
        assertEquals(FILES, TestFiles.list(dir));
        assertEquals(r.out(), Files.readString(dir.resolve("report.txt")));
        assertEquals("OK\n", Cli.run("fdt", "check", dir.resolve("kho-root.dtb").toString()).out());
        assertTrue(Cli.run("fdt", "dump", dir.resolve("kho-root.dtb").toString()).out()
                .contains("prop / compatible 6b686f2d763400\n"), "kho-v4");
    }

    @Test
    void arm64HandsOverThroughChosenInTheBootDtb() throws Exception {
        Cli.Result r = Cli.run("demo", "--arch", "arm64", "--generation", "kho-v1-bitmap512", "--out", dir.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("kho demo: arm64, 64 GiB in 2 NUMA nodes from 0x40000000, 4 KiB pages, Linux"
                + " 6.16.0 -> 6.16.0\n"), r.out());
        assertTrue(r.out().contains("boot DTB at 0x"), r.out());
        assertTrue(r.out().contains("kho_scratch=16M,512M,256M"), r.out());
        assertFalse(r.out().contains("kexec-metadata"), "no metadata subtree before kho-v3: " + r.out());
        assertTrue(r.out().contains("\nVERIFIED\n"), r.out());
    }

    @Test
    void aBitmapSizeMismatchIsRefusedBeforeAnythingIsWritten() throws Exception {
        Cli.Result r = Cli.run("demo", "--from", "6.17", "--to", "6.18", "--out", dir.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("REFUSED before anything was written:\n"), r.out());
        assertTrue(r.out().contains("512-byte vs 4096-byte preservation bitmaps"), r.out());
        assertEquals(List.of("report.html", "report.json", "report.txt"), TestFiles.list(dir), "no machine, no image");
        assertTrue(Files.readString(dir.resolve("report.json")).startsWith("{\"outcome\":\"REFUSED\""));
    }

    @Test
    void jsonIsOneLineWithTheOutcomeFirst() throws Exception {
        Cli.Result r = Cli.run("demo", "--json", "--digest", "sha256", "--digest-all", "--out", dir.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, r.outLines().size(), r.out());
        assertTrue(r.out().startsWith("{\"outcome\":\"VERIFIED\",\"machine\":{\"arch\":\"x86-64\""), r.out());
        assertTrue(r.out().contains("\"status\":\"RESTORED\""), r.out());
        assertEquals(r.out(), Files.readString(dir.resolve("report.json")));
    }

    @Test
    void theHtmlPageIsSelfContainedWithAnSvgMemoryMap() throws Exception {
        assertEquals(0, Cli.run("demo", "--out", dir.toString()).exit());
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertFalse(html.contains("<script") || html.contains("src=") || html.contains("href="), "self-contained");
        assertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), html);
        for (String kind : List.of("scratch lowmem", "preserved order", "BLOB kho4j-sample", "MAP_PAGE kho",
                "ROOT_FDT kho", "SAMPLE_DATA data")) {
            assertTrue(html.contains("<title>" + kind), kind);
        }
    }

    @Test
    void rerunningReplacesTheFilesAndKeepsOnlyTheLatestHandover() throws Exception {
        assertEquals(0, Cli.run("demo", "--out", dir.toString()).exit());
        assertEquals(0, Cli.run("demo", "--json", "--out", dir.toString()).exit());
        assertEquals(FILES, TestFiles.list(dir));
        assertEquals(List.of("kho-host.state", "manifest-2.pb", "memory-2.img", "successor-2.log", "successor-2.report"),
                TestFiles.list(dir.resolve("machine")));
    }

    @Test
    void badOptionsAreUsageErrorsAndUnknownKernelsInvalidInput() throws Exception {
        assertEquals(2, Cli.run("demo", "--arch", "sparc", "--out", dir.toString()).exit());
        assertEquals(2, Cli.run("demo", "--generation", "kho-v4-blocks", "--from", "7.4", "--out", dir.toString()).exit());
        Cli.Result r = Cli.run("demo", "--generation", "kho-v9", "--out", dir.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().startsWith("kho demo: \"kho-v9\" is not a KHO generation"), r.err());
        assertEquals(1, Cli.run("demo", "--from", "5.10", "--out", dir.toString()).exit());
    }

    @Test
    void anOutputPathThatIsAFileIsInvalidInput() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Cli.Result r = Cli.run("demo", "--out", file.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("kho demo: "), r.err());
    }

    @Test
    void htmlEscapesNamesFromSerializers() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39; ", DemoReport.esc("<a href=\"x\">&'\u0001"));
    }
}
