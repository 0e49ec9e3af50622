package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScratchCommandTest {
    private static final String[] TWO_NODES = {"--ram", "0-2G@0,4G-8G@0", "--ram", "8G-16G@1",
        "--reserved", "16M-48M", "--kernel-reserved", "0x7f000000+16M,0x1fc000000+64M"};

    private static String[] args(String cmdline, String rules, String... more) {
        String[] base = {"scratch", "plan", "--cmdline", cmdline, "--rules", rules};
        String[] out = new String[base.length + TWO_NODES.length + more.length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(TWO_NODES, 0, out, base.length, TWO_NODES.length);
        System.arraycopy(more, 0, out, base.length + TWO_NODES.length, more.length);
        return out;
    }

    @Test
    void planPrintsTheArrayAndAreasTopDown() {
        Cli.Result r = Cli.run(args("kho=on kho_scratch=16M,512M,256M", "7.1"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(String.join("\n",
                "rules 7.1-7.2 kho_scratch= alignment 0x200000",
                "kho on",
                "sizes lowmem 0x1000000 global 0x20000000 pernode 0x10000000",
                "array 0x3fffff000 entries 4",
                "area lowmem 0x7e000000 0x1000000",
                "area global 0x3dfe00000 0x20000000",
                "area node0 0x1ec000000 0x10000000",
                "area node1 0x3cfe00000 0x10000000",
                ""), r.out());
    }

    @Test
    void aMemorylessNodeFailsBefore71() {
        Cli.Result r = Cli.run(
                args("kho=on kho_scratch=16M,512M,256M", "later", "--nodes", "3"));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("failed cannot place the node2 area: node 2 has no memory"), r.out());
        assertTrue(r.err().startsWith("scratch plan: cannot place the node2 area"), r.err());
        Cli.Result ok = Cli.run(
                args("kho=on kho_scratch=16M,512M,256M", "7.1", "--nodes", "3"));
        assertEquals(0, ok.exit(), ok.toString());
    }

    @Test
    void jsonHasAddressesAsHexStrings() {
        Cli.Result r = Cli.run(args("kho=on", "7.3", "--json"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("{\"rules\":\"7.3\",\"parameter\":\"kho_scratch\",\"alignment\":\"0x400000\","
                + "\"enabled\":true,\"feasible\":true,\"sizes\":{\"scalePercent\":200},\"array\":{\"address\":"
                + "\"0x3fffff000\",\"entries\":4},\"areas\":[{\"role\":\"lowmem\",\"node\":null,"), r.out());
        assertTrue(r.out().endsWith("\"notes\":[],\"failure\":null}\n"), r.out());
    }

    @Test
    void sevenFourReadsKhoBootmem() {
        Cli.Result r = Cli.run(
                args("kho=on kho_bootmem=16M,512M,256M", "7.4"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("sizes lowmem 0x1000000 global 0x20000000 pernode 0x10000000"), r.out());
    }

    @Test
    void khoOffAndMalformedValuesAreReported() {
        Cli.Result r = Cli.run(args("kho_scratch=1G,,", "6.16"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("kho off\n"), r.out());
        assertTrue(r.out().contains("note Malformed early option 'kho_scratch' (ignored): '1G,,': size 2"), r.out());
    }

    @Test
    void usageErrors() {
        assertEquals(2, Cli.run("scratch", "plan", "--cmdline", "kho=on").exit(), "--ram missing");
        assertEquals(2, Cli.run("scratch", "plan", "--cmdline", "", "--ram", "2G-1G").exit());
        assertEquals(2, Cli.run("scratch", "plan", "--cmdline", "", "--ram", "0-1G@x").exit());
        assertEquals(2, Cli.run(args("kho=on", "6.99")).exit());
        assertEquals(2, Cli.run(args("kho=on", "7.1", "--nodes", "1")).exit());
        assertEquals(1, Cli.run("scratch", "plan", "--cmdline", "", "--ram", "0-2G,1G-3G").exit(),
                "overlapping banks are invalid input");
    }
}
