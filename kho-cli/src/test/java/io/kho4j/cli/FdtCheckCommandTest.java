package io.kho4j.cli;

import io.kho4j.testsupport.ExternalTools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FdtCheckCommandTest {
    /** DESIGN.md §4: {@code INVALID <kind> at offset <n>: <message>}, on one line. */
    private static final String INVALID_LINE = "INVALID [A-Z_]+ at offset [0-9]+: [^\n]+\n";

    @TempDir
    Path dir;

    @Test
    void validBlobPrintsOk() throws Exception {
        Cli.Result r = Cli.run("fdt", "check", TestFiles.smallDtb(dir).toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("OK\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void truncatedBlobPrintsTheExactInvalidLine() throws Exception {
        Cli.Result r = Cli.run("fdt", "check", TestFiles.truncated(dir, 100).toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("INVALID TRUNCATED at offset 100: blob is 100 bytes but its header says totalsize 323\n", r.out());
        assertEquals("", r.err());
    }

    static IntStream everyTruncation() {
        return IntStream.range(0, TestFiles.resource(TestFiles.SMALL + ".dtb").length);
    }

    @ParameterizedTest(name = "first {0} bytes")
    @MethodSource("everyTruncation")
    void everyTruncationIsOneInvalidLineAndExitOne(int length) throws Exception {
        Cli.Result r = Cli.run("fdt", "check", TestFiles.truncated(dir, length).toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().matches(INVALID_LINE), r.out());
        assertEquals("", r.err());
    }

    @Test
    void badMagicIsReportedAtOffsetZero() throws Exception {
        byte[] blob = TestFiles.resource(TestFiles.SMALL + ".dtb");
        blob[0] = 0x12;
        Cli.Result r = Cli.run("fdt", "check", TestFiles.write(dir, "magic.dtb", blob).toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("INVALID BAD_MAGIC at offset 0: magic is 0x120dfeed, expected 0xd00dfeed\n", r.out());
    }

    @Test
    void aHostileNameCannotBreakTheLine() throws Exception {
        // the root must be unnamed; the validator quotes the name it found
        byte[] blob = new HandBlobs().begin("evil\nINVALID fake\r").end().build(0);
        Cli.Result r = Cli.run("fdt", "check", TestFiles.write(dir, "evil.dtb", blob).toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().matches(INVALID_LINE), r.out());
        assertTrue(r.out().contains("evil\\x0aINVALID fake\\x0d"), r.out());
    }

    @Test
    void jsonGivesKindOffsetAndMessage() throws Exception {
        Cli.Result ok = Cli.run("fdt", "check", "--json", TestFiles.smallDtb(dir).toString());
        assertEquals(0, ok.exit());
        assertEquals("{\"valid\":true}\n", ok.out());
        Cli.Result bad = Cli.run("fdt", "check", "--json", TestFiles.truncated(dir, 100).toString());
        assertEquals(1, bad.exit());
        assertEquals("{\"valid\":false,\"kind\":\"TRUNCATED\",\"offset\":100,"
                + "\"message\":\"blob is 100 bytes but its header says totalsize 323\"}\n", bad.out());
    }

    @Test
    void libfdtAgreesOnTheValidBlob() throws Exception {
        ExternalTools.requireLibfdt();
        assertEquals("OK\n", Cli.run("fdt", "check", "--libfdt", TestFiles.smallDtb(dir).toString()).out());
    }

    @Test
    void unreadableFileIsInvalidInputOnStderr() {
        Cli.Result r = Cli.run("fdt", "check", dir.resolve("none").toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("kho fdt check: no such file: " + dir.resolve("none") + "\n", r.err());
    }
}
