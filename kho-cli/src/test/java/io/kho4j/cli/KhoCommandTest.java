package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.KhoUnavailableException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class KhoCommandTest {

    /** A command written the way other engineers' commands will be, failing on request. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--fail")
        String fail = "";

        @Option(names = "--at", converter = AddressConverter.class)
        long at;

        @Override
        public Integer call() throws Exception {
            switch (fail) {
                case "input": throw new InvalidInputException("blob.dtb: bad thing at 0x10");
                case "io": throw new AccessDeniedException("/root/secret");
                case "unavailable": throw new KhoUnavailableException("libfdt cannot be loaded", null);
                case "bug": throw new IllegalStateException("oops\nat line two");
                default:
                    common.out().print(String.format("0x%x\n", at));
                    return ExitCodes.OK;
            }
        }
    }

    @Test
    void versionNamesTheBuildAndTheJvm() throws Exception {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.exit());
        String version = KhoCommand.Version.version();
        assertTrue(version.matches("[0-9]+\\.[0-9]+\\.[0-9]+(-SNAPSHOT)?"), version);
        assertEquals(List.of("kho " + version, r.outLines().get(1)), r.outLines());
        assertTrue(r.outLines().get(1).startsWith("Java " + System.getProperty("java.version")));
    }

    @Test
    void helpListsTheCommandsWithExamples() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: kho [-hV] COMMAND\n"), r.out());
        for (String s : List.of("  demo ", "  fdt ", "Examples:\n  kho demo ", "  kho fdt check a.dtb ",
                "Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 cannot run here")) {
            assertTrue(r.out().contains(s), s);
        }
        for (String line : r.outLines()) {
            assertTrue(line.length() <= 80, "help fits 80 columns: " + line);
        }
        assertEquals(r.out(), Cli.run("help").out());
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        Cli.Result none = Cli.run();
        assertEquals(2, none.exit());
        assertEquals("kho: Missing required subcommand (see 'kho --help')\n", none.err());
        Cli.Result unknown = Cli.run("fdt", "dunp", "x");
        assertEquals(2, unknown.exit());
        assertEquals("kho fdt: Unmatched arguments from index 1: 'dunp', 'x' (did you mean dump? see 'kho fdt --help')\n",
                unknown.err());
    }

    @Test
    void everyCommandHasJsonAndHelpThatFits80Columns() {
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(Main.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))));
        List<String> leaves = new ArrayList<>();
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            assertNotNull(c.getCommandSpec().findOption("--help"), c.getCommandName());
            for (String line : c.getUsageMessage().split("\n")) {
                assertTrue(line.length() <= 80, "help fits 80 columns: " + line);
            }
            if (c.getSubcommands().isEmpty() && !c.getCommandName().equals("help")) {
                leaves.add(c.getCommandSpec().qualifiedName());
                assertNotNull(c.getCommandSpec().findOption("--json"), c.getCommandSpec().qualifiedName());
            }
            todo.addAll(c.getSubcommands().values());
        }
        assertTrue(leaves.containsAll(List.of("kho demo", "kho fdt dump", "kho fdt check", "kho fdt normalize")),
                leaves.toString());
    }

    @Test
    void invalidInputExitsOneWithTheReason() {
        Cli.Result r = Cli.run(new Probe(), "probe", "--fail=input");
        assertEquals(1, r.exit());
        assertEquals("kho probe: blob.dtb: bad thing at 0x10\n", r.err());
    }

    @Test
    void ioFailuresExitOneNamingTheFile() {
        Cli.Result r = Cli.run(new Probe(), "probe", "--fail=io");
        assertEquals(1, r.exit());
        assertEquals("kho probe: permission denied: /root/secret\n", r.err());
    }

    @Test
    void aMissingFacilityExitsThree() {
        Cli.Result r = Cli.run(new Probe(), "probe", "--fail=unavailable");
        assertEquals(3, r.exit());
        assertEquals("kho probe: libfdt cannot be loaded\n", r.err());
    }

    @Test
    void aBugExitsThreeWithOneLineAndNoStackTrace() {
        Cli.Result r = Cli.run(new Probe(), "probe", "--fail=bug");
        assertEquals(3, r.exit());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("kho probe: internal error, please report it: java.lang.IllegalStateException:"
                + " oops\\x0aat line two (set KHO_DEBUG=1"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void addressOptionsTakeHexDecimalAndSuffixes() {
        assertEquals("0x1000000\n", Cli.run(new Probe(), "probe", "--at=16M").out());
        assertEquals("0xfffffffffffff000\n", Cli.run(new Probe(), "probe", "--at", "0xfffffffffffff000").out());
        Cli.Result bad = Cli.run(new Probe(), "probe", "--at=16Q");
        assertEquals(2, bad.exit());
        assertEquals("kho probe: Invalid value for option '--at': '16Q' has an unknown suffix 'Q' (K, M, G, T, P or E)"
                + " (see 'kho probe --help')\n", bad.err());
    }
}
