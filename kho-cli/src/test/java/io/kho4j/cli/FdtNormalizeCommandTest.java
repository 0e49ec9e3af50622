package io.kho4j.cli;

import io.kho4j.testsupport.ExternalTools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FdtNormalizeCommandTest {
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789,._+-";

    @TempDir
    Path dir;

    private String dump(Path file) {
        Cli.Result r = Cli.run("fdt", "dump", file.toString());
        assertEquals(0, r.exit(), r.toString());
        return r.out();
    }

    private Cli.Result normalize(Path in, Path out) {
        return Cli.run("fdt", "normalize", in.toString(), "-o", out.toString());
    }

    @Test
    void aDtcBlobComesBackByteForByte() throws Exception {
        Path in = TestFiles.smallDtb(dir);
        Path out = dir.resolve("out.dtb");
        Cli.Result r = normalize(in, out);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(in + " (323 bytes, version 17) -> " + out + " (323 bytes, version 17)\n", r.out());
        assertEquals("", r.err());
        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(out));
        assertEquals(List.of("out.dtb", "small.dtb"), TestFiles.list(dir));
    }

    @Test
    void theKernelLayoutBecomesCompactWithTheSameContent() throws Exception {
        Path in = TestFiles.write(dir, "root.dtb", kernelRoot());
        Path out = dir.resolve("out.dtb");
        assertEquals(0, normalize(in, out).exit());
        assertEquals(dump(in), dump(out));
        assertTrue(Files.size(out) < Files.size(in), "libfdt's layout pads the reservation map to 48");
    }

    @Test
    void reservationsAndBootCpuStayAndPropertiesAfterChildrenAreRefused() throws Exception {
        byte[] blob = new HandBlobs().reservation(0x1000, 0x2000).reservation(0xffff_ffff_0000_0000L, 1)
                .begin("").prop("early", new byte[] {2, 3}).begin("child@1").prop("x", new byte[] {1}).end()
                .end().build(7);
        Path in = TestFiles.write(dir, "ok.dtb", blob);
        Path out = dir.resolve("out.dtb");
        assertEquals(0, normalize(in, out).exit());
        assertEquals(List.of(
                "fdt version=17 last_comp_version=16 boot_cpuid_phys=7",
                "rsv 0x0000000000001000 0x0000000000002000",
                "rsv 0xffffffff00000000 0x0000000000000001",
                "node /",
                "prop / early 0203",
                "node /child@1",
                "prop /child@1 x 01"), dump(out).lines().toList());
        assertEquals(dump(in), dump(out));

        // libfdt's lookups stop at the first child, so the kernel would never see "late": refused, not moved
        byte[] late = new HandBlobs().begin("").begin("child@1").end().prop("late", new byte[] {2}).end().build(0);
        Cli.Result r = normalize(TestFiles.write(dir, "late.dtb", late), dir.resolve("late-out.dtb"));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("property after a child node"), r.err());
        assertFalse(Files.exists(dir.resolve("late-out.dtb")));
    }

    static LongStream seeds() {
        return LongStream.range(0, 40).map(i -> 0x6b686f00L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomTreesKeepTheirCanonicalDump(long seed) throws Exception {
        Path in = TestFiles.write(dir, "in.dtb", randomBlob(new SplittableRandom(seed)));
        Path out = dir.resolve("out.dtb");
        Cli.Result r = normalize(in, out);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(dump(in), dump(out));
        assertEquals(List.of("in.dtb", "out.dtb"), TestFiles.list(dir));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomTreesComeOutAsDtcWritesThem(long seed) throws Exception {
        ExternalTools.requireDtc();
        Path in = TestFiles.write(dir, "in.dtb", randomBlob(new SplittableRandom(seed)));
        Path ours = dir.resolve("ours.dtb");
        Path dtcs = dir.resolve("dtc.dtb");
        assertEquals(0, normalize(in, ours).exit());
        // -f: dtc refuses duplicate names, which libfdt and we accept
        ExternalTools.runOk("dtc", "-q", "-f", "-I", "dtb", "-O", "dtb", "-o", dtcs.toString(), in.toString());
        assertArrayEquals(Files.readAllBytes(dtcs), Files.readAllBytes(ours));
    }

    /** A tree assembled by hand: random names, values, reservations, boot CPU. */
    static byte[] randomBlob(SplittableRandom rnd) {
        HandBlobs b = new HandBlobs();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            b.reservation(rnd.nextLong(), rnd.nextLong(1, Long.MAX_VALUE));
        }
        b.begin("");
        node(b, rnd, 0);
        return b.end().build(rnd.nextInt(256));
    }

    private static void node(HandBlobs b, SplittableRandom rnd, int depth) {
        props(b, rnd);
        for (int i = depth < 4 ? rnd.nextInt(4) : 0; i > 0; i--) {
            b.begin(name(rnd) + (rnd.nextBoolean() ? "@" + Integer.toHexString(rnd.nextInt(0x10000)) : ""));
            node(b, rnd, depth + 1);
            b.end();
        }
    }

    private static void props(HandBlobs b, SplittableRandom rnd) {
        for (int i = rnd.nextInt(4); i > 0; i--) {
            byte[] value = new byte[rnd.nextInt(25)];
            rnd.nextBytes(value);
            b.prop(name(rnd), value);
        }
    }

    private static String name(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1 + rnd.nextInt(12); i > 0; i--) {
            sb.append(NAME_CHARS.charAt(rnd.nextInt(NAME_CHARS.length())));
        }
        return sb.toString();
    }

    @Test
    void inPlaceReplacesTheFile() throws Exception {
        Path in = TestFiles.write(dir, "root.dtb", kernelRoot());
        String before = dump(in);
        assertEquals(0, normalize(in, in).exit());
        assertEquals(before, dump(in));
        assertEquals(List.of("root.dtb"), TestFiles.list(dir));
    }

    @Test
    void invalidInputWritesNothing() throws Exception {
        Path in = TestFiles.truncated(dir, 60);
        Path out = dir.resolve("out.dtb");
        Cli.Result r = normalize(in, out);
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("kho fdt normalize: " + in + ": INVALID TRUNCATED at offset "), r.err());
        assertEquals(1, r.errLines().size());
        assertEquals(List.of("trunc60.dtb"), TestFiles.list(dir));
    }

    @Test
    void aFailedRenameLeavesNoTemporaryFile() throws Exception {
        Path in = TestFiles.smallDtb(dir);
        Path out = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(out.resolve("keep"), "x");
        Cli.Result r = normalize(in, out);
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertEquals(List.of("small.dtb", "taken"), TestFiles.list(dir));
        assertEquals(List.of("keep"), TestFiles.list(out));
    }

    @Test
    void aMissingOutputDirectoryIsInvalidInput() throws Exception {
        Cli.Result r = normalize(TestFiles.smallDtb(dir), dir.resolve("no/such/out.dtb"));
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    void aTreeTheWriterRefusesIsInvalidInputNotACrash() throws Exception {
        // libfdt and our validator accept an unnamed child node; FdtWriter will not write one
        Path in = TestFiles.write(dir, "unnamed.dtb", new HandBlobs().begin("").begin("").end().end().build(0));
        assertEquals(0, Cli.run("fdt", "check", in.toString()).exit());
        Cli.Result r = normalize(in, dir.resolve("out.dtb"));
        assertEquals(1, r.exit(), r.toString());
        assertEquals("kho fdt normalize: " + in + ": cannot be re-encoded: only the root node may have an empty name\n",
                r.err());
        assertEquals(List.of("unnamed.dtb"), TestFiles.list(dir));
    }

    @Test
    void theOutputOptionIsRequired() throws Exception {
        Cli.Result r = Cli.run("fdt", "normalize", TestFiles.smallDtb(dir).toString());
        assertEquals(2, r.exit());
        assertEquals("kho fdt normalize: Missing required option: '--output=OUT' (see 'kho fdt normalize --help')\n",
                r.err());
    }

    @Test
    void jsonNamesBothFilesAndSizes() throws Exception {
        Path in = TestFiles.smallDtb(dir);
        Path out = dir.resolve("o.dtb");
        Cli.Result r = Cli.run("fdt", "normalize", "--json", in.toString(), "-o", out.toString());
        assertEquals("{\"input\":\"" + in + "\",\"input_bytes\":323,\"output\":\"" + out + "\",\"output_bytes\":323}\n",
                r.out());
    }

    /** A root as Linux 6.16's kho_finalize writes it (libfdt's sequential layout, kho-abi.md §1). */
    private static byte[] kernelRoot() throws Exception {
        return io.kho4j.tree.TreeAssembler.create(io.kho4j.abi.AbiGeneration.KHO_V1_BITMAP512,
                io.kho4j.abi.RootLayout.SEQUENTIAL).addSubtree("memblock", 0x1_1715_0000L, 0).build(0x1_16be_4000L);
    }
}
