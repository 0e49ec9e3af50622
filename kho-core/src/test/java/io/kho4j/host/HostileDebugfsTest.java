package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.testsupport.FakeKernelTree;
import io.kho4j.testsupport.FakeKernelTree.Layout;
import io.kho4j.testsupport.ScriptedSyscalls;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed kernel files must give a typed error naming the file and line, never a partial state. */
class HostileDebugfsTest {
    private static final String OUT = "sys/kernel/debug/kho/out/";

    @TempDir
    Path dir;

    private LinuxKhoHost host() {
        return LinuxKhoHost.builder().root(dir).syscalls(new ScriptedSyscalls("7.1.0", 0)).maxBlobBytes(64).build();
    }

    static Stream<Arguments> badScratchFiles() {
        return Stream.of(
                Arguments.of("0x1000\n", "0x10\n0x20\n", "scratch_len", 0, "2 areas, but scratch_phys lists 1"),
                Arguments.of("0x1000", "0x10", "scratch_phys", 1, "last line has no newline"),
                Arguments.of("1000\n", "0x10\n", "scratch_phys", 1, "expected 0x and 1 to 16 hex digits, got \"1000\""),
                Arguments.of("0x\n", "0x10\n", "scratch_phys", 1, "expected 0x and 1 to 16 hex digits, got \"0x\""),
                Arguments.of("0x1000\n0x12g4\n", "0x10\n0x10\n", "scratch_phys", 2, "not a hex digit in \"0x12g4\""),
                Arguments.of("0x١٢\n", "0x10\n", "scratch_phys", 1, "not a hex digit in \"0x١٢\""),
                Arguments.of("0x10000000000000000\n", "0x10\n", "scratch_phys", 1,
                        "expected 0x and 1 to 16 hex digits, got \"0x10000000000000000\""),
                Arguments.of("0x8000000000000000\n", "0x10\n", "scratch_phys", 1,
                        "0x8000000000000000 is beyond 2^63: not a physical address or size"),
                Arguments.of("0x1000\n", "0x0\n", "scratch_len", 1, "area at 0x1000 of size 0x0 is empty or ends past 2^63"),
                Arguments.of("0x7fffffffffffffff\n", "0x10\n", "scratch_len", 1,
                        "area at 0x7fffffffffffffff of size 0x10 is empty or ends past 2^63"),
                Arguments.of("0x1000\n\n", "0x10\n0x10\n", "scratch_phys", 2, "expected 0x and 1 to 16 hex digits, got \"\""),
                Arguments.of("0x1000\r\n", "0x10\n", "scratch_phys", 1,
                        "not a hex digit in \"0x1000\r\""));
    }

    @ParameterizedTest
    @MethodSource("badScratchFiles")
    void malformedScratchFilesAreRejectedWithFileAndLine(String phys, String len, String file, int line, String what) {
        FakeKernelTree.ready(dir, Layout.V7_1).write(OUT + "scratch_phys", phys).write(OUT + "scratch_len", len);
        HostFileFormatException e = assertThrows(HostFileFormatException.class, () -> host().outgoing());
        assertEquals(dir.resolve(OUT + file), e.file());
        assertEquals(line, e.line());
        assertEquals(dir.resolve(OUT + file) + (line > 0 ? ":" + line : "") + ": " + what, e.getMessage());
    }

    @Test
    void tooManyScratchLinesAreRefused() {
        FakeKernelTree.ready(dir, Layout.V7_1).write(OUT + "scratch_phys", "0x1\n".repeat(4097))
                .write(OUT + "scratch_len", "0x1\n".repeat(4097));
        assertEquals("4097 lines; no kernel has more than 4096 scratch areas",
                detail(assertThrows(HostFileFormatException.class, () -> host().outgoing())));
    }

    @Test
    void oneScratchFileWithoutItsPartnerIsRefused() {
        FakeKernelTree.ready(dir, Layout.V7_1).delete(OUT + "scratch_len");
        assertEquals("missing, but its partner file exists",
                detail(assertThrows(HostFileFormatException.class, () -> host().outgoing())));
        FakeKernelTree.ready(dir, Layout.V7_1).delete(OUT + "scratch_len").delete(OUT + "scratch_phys");
        assertEquals("has neither bootmem_phys/bootmem_len (7.4+) nor scratch_phys/scratch_len",
                detail(assertThrows(HostFileFormatException.class, () -> host().outgoing())));
    }

    @Test
    void oversizedBlobsAndStrayDirectoriesAreRefused() {
        FakeKernelTree t = FakeKernelTree.ready(dir, Layout.V7_1).write(OUT + "sub_fdts/big", new byte[65]);
        assertEquals("larger than 64 bytes", detail(assertThrows(HostFileFormatException.class, () -> host().outgoing())));
        t.delete(OUT + "sub_fdts/big").mkdir(OUT + "sub_fdts/nested");
        assertEquals("not a regular file; the kernel puts only blobs here",
                detail(assertThrows(HostFileFormatException.class, () -> host().outgoing())));
        t.delete(OUT + "sub_fdts/nested").write(OUT + "fdt", new byte[(64 << 10) + 1]);
        assertEquals("larger than 65536 bytes", detail(assertThrows(HostFileFormatException.class, () -> host().outgoing())));
    }

    static Stream<Arguments> randomScratchFiles() {
        return new SplittableRandom(0x5c7a7c4L).longs(64).mapToObj(seed -> Arguments.of(seed));
    }

    /** Random bytes in the scratch files: either a typed error or a state whose areas are all valid. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("randomScratchFiles")
    void randomScratchFilesNeverEscapeTheTypedError(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        FakeKernelTree.ready(dir, Layout.V7_1).write(OUT + "scratch_phys", randomHexish(r))
                .write(OUT + "scratch_len", randomHexish(r));
        try {
            host().outgoing().scratch().forEach(a -> assertEquals(true, a.size() > 0 && a.end() > a.start()));
        } catch (HostFileFormatException expected) {
            assertEquals(true, expected.line() >= 0);
        }
    }

    private static String randomHexish(SplittableRandom r) {
        String alphabet = "0x0123456789abcdefXG \n\r-";
        StringBuilder sb = new StringBuilder();
        int lines = r.nextInt(4);
        for (int i = 0; i < lines; i++) {
            sb.append(r.nextInt(4) == 0 ? "" : "0x");
            int n = r.nextInt(20);
            for (int j = 0; j < n; j++) {
                sb.append(r.nextInt(8) == 0 ? alphabet.charAt(r.nextInt(alphabet.length())) : "0123456789abcdef".charAt(r.nextInt(16)));
            }
            sb.append(r.nextInt(10) == 0 ? "" : "\n");
        }
        return sb.toString();
    }

    private static String detail(HostFileFormatException e) {
        String m = e.getMessage();
        return m.substring(m.indexOf(": ") + 2);
    }

    @Test
    void factsResolverMayNotAnswerNull() {
        FakeKernelTree.ready(dir, Layout.V7_1);
        assertThrows(NullPointerException.class, () -> LinuxKhoHost.builder().root(dir)
                .syscalls(new ScriptedSyscalls("7.1.0", 0)).kernelFacts(r -> null).build());
        assertEquals(KhoKernelFacts.forRelease("7.1.0"), LinuxKhoHost.builder().root(dir)
                .syscalls(new ScriptedSyscalls("7.1.0", 0)).build().kernelFacts(), "the default resolver");
    }
}
