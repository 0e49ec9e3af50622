package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemmapCommandTest {
    private static final String BLOCKS = "0x5000 0\n0x64000 0\n0x400000 9\n0x600000 9\n0x1003000 0\n";

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @ParameterizedTest(name = "--abi {0}")
    @ValueSource(strings = {"kho-v1-bitmap512", "KHO_V1_BITMAP_PAGE", "kho-v2-radix", "Kho_V4_Blocks",
        "radix-16k-prefix"})
    void encodePrintsTheRootAndDecodeGivesTheBlocksBackSorted(String abi) throws Exception {
        Path ranges = write("blocks.txt", "# preserved\n" + BLOCKS + "\n");
        Path image = dir.resolve("mem.img");
        Cli.Result enc = Cli.run("memmap", "encode", "--abi", abi, "--ranges",
                ranges.toString(), "--image", image.toString(), "--base", "0x0", "--alloc-from", "0x2000000");
        assertEquals(0, enc.exit(), enc.toString());
        assertEquals("0x2000000\n", enc.out());
        Cli.Result dec = Cli.run("memmap", "decode", "--abi", abi, "--image",
                image.toString(), "--root", enc.out().trim());
        assertEquals(0, dec.exit(), dec.toString());
        assertEquals("0x5000 0\n0x64000 0\n0x400000 9\n0x600000 9\n0x1003000 0\n", dec.out());
    }

    @Test
    void theImageHoldsTheKernelsBytesAtPhysMinusBase() throws Exception {
        Path ranges = write("b.txt", "0x100400000 9\n");
        Path image = dir.resolve("based.img");
        Cli.Result enc = Cli.run("memmap", "encode", "--abi", "kho-v1-bitmap-page",
                "--ranges", ranges.toString(), "--image", image.toString(), "--base", "4G");
        assertEquals(0, enc.exit(), enc.toString());
        // default --alloc-from: right after the highest block, 0x100600000
        assertEquals("0x100600000\n", enc.out());
        byte[] bytes = Files.readAllBytes(image);
        ByteBuffer chunk = ByteBuffer.wrap(bytes, 0x600000, 32).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, chunk.getLong(), "next");
        assertEquals(9, chunk.getInt(), "order");
        assertEquals(1, chunk.getInt(), "num_elms");
        assertEquals(0, chunk.getLong(), "phys_start: bitmap 0 of order 9");
        assertEquals(0x100601000L, chunk.getLong(), "the bitmap page follows the chunk");
        byte[] bitmap = new byte[4096];
        bitmap[256] = 0x04;  // pfn_high = 0x100400000 >> (12 + 9) = 2050: byte 2050 / 8, bit 2050 % 8
        assertArrayEquals(bitmap, Arrays.copyOfRange(bytes, 0x601000, 0x602000));
        assertEquals(0x601000 + 4096, bytes.length);
    }

    @Test
    void jsonOutput() throws Exception {
        Path ranges = write("b.txt", "0x400000 9\n");
        Path image = dir.resolve("j.img");
        Cli.Result enc = Cli.run("memmap", "encode", "--abi", "kho-v3-blob-size", "--ranges",
                ranges.toString(), "--image", image.toString(), "--alloc-from", "8M", "--json");
        assertEquals("{\"root\":\"0x800000\",\"blocks\":1}\n", enc.out());
        Cli.Result dec = Cli.run("memmap", "decode", "--abi", "kho-v3-blob-size",
                "--image", image.toString(), "--root", "0x800000", "--json");
        assertEquals("{\"valid\":true,\"blocks\":[{\"phys\":\"0x400000\",\"order\":9}]}\n", dec.out());
    }

    @Test
    void aHostileImageGivesOneLineAndExitOne() throws Exception {
        Path image = dir.resolve("loop.img");
        ByteBuffer b = ByteBuffer.allocate(0x3000).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0x1000, 0x2000).putLong(0x2000, 0x1000);   // two chunks pointing at each other
        Files.write(image, b.array());
        Cli.Result r = Cli.run("memmap", "decode", "--abi", "kho-v1-bitmap-page",
                "--image", image.toString(), "--root", "0x1000");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("kho memmap decode: INVALID CYCLE at 0x1000: ")
                || r.err().startsWith("memmap decode: INVALID CYCLE at 0x1000: "), r.err());
        assertEquals(1, r.err().lines().count());

        Cli.Result json = Cli.run("memmap", "decode", "--abi", "kho-v1-bitmap-page",
                "--image", image.toString(), "--root", "0x1000", "--json");
        assertEquals(1, json.exit());
        assertTrue(json.out().startsWith("{\"valid\":false,\"kind\":\"CYCLE\",\"address\":\"0x1000\","), json.out());
    }

    @Test
    void badInputAndBadUsageHaveDifferentExitCodes() throws Exception {
        Path image = dir.resolve("x.img");
        Path bad = write("bad.txt", "0x5000 0\n5000 0\n");
        Cli.Result line = Cli.run("memmap", "encode", "--abi", "radix", "--ranges",
                bad.toString(), "--image", image.toString());
        assertEquals(1, line.exit(), line.toString());
        assertTrue(line.err().contains("bad.txt:2: expected '0x<phys> <order>', got '5000 0'"), line.err());

        Path overlap = write("overlap.txt", "0x400000 9\n0x401000 0\n");
        Cli.Result ov = Cli.run("memmap", "encode", "--abi", "radix", "--ranges",
                overlap.toString(), "--image", image.toString());
        assertEquals(1, ov.exit(), ov.toString());
        assertTrue(ov.err().contains("block 0x401000 order 0 overlaps block 0x400000 order 9"), ov.err());

        Path misaligned = write("mis.txt", "0x1000 1\n");
        assertEquals(1, Cli.run("memmap", "encode", "--abi", "radix", "--ranges",
                misaligned.toString(), "--image", image.toString()).exit());

        Cli.Result abi = Cli.run("memmap", "decode", "--abi", "kho-v9", "--image",
                image.toString(), "--root", "0");
        assertEquals(2, abi.exit(), abi.toString());
        assertTrue(abi.err().contains("\"kho-v9\" is not a KHO generation"), abi.err());
        assertEquals(2, Cli.run("memmap", "decode", "--abi", "radix", "--image",
                image.toString(), "--root", "zero").exit());
        assertEquals(2, Cli.run("memmap").exit(), "a subcommand is required");
        assertEquals(2, Cli.run("memmap", "decode", "--abi", "radix", "--image", "x",
                "--root", "0", "--page-size", "8192").exit());

        Cli.Result missing = Cli.run("memmap", "decode", "--abi", "radix", "--image",
                dir.resolve("nope.img").toString(), "--root", "0x1000");
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no such file"), missing.err());

        Cli.Result nullRoot = Cli.run("memmap", "decode", "--abi", "radix", "--image",
                write("z.img", "x".repeat(8192)).toString(), "--root", "0");
        assertEquals(1, nullRoot.exit());
        assertTrue(nullRoot.err().contains("INVALID NULL_ROOT at 0x0"), nullRoot.err());
    }

    @Test
    void sixteenKibPagesAreAnOption() throws Exception {
        Path ranges = write("b.txt", "0x8000 1\n0x4000 0\n");
        Path image = dir.resolve("p16.img");
        Cli.Result enc = Cli.run("memmap", "encode", "--abi", "radix", "--page-size", "16K",
                "--ranges", ranges.toString(), "--image", image.toString());
        assertEquals(0, enc.exit(), enc.toString());
        Cli.Result dec = Cli.run("memmap", "decode", "--abi", "radix", "--page-size",
                "16384", "--image", image.toString(), "--root", enc.out().trim());
        assertEquals("0x4000 0\n0x8000 1\n", dec.out());
        Cli.Result pre = Cli.run("memmap", "encode", "--abi", "radix-16k-prefix",
                "--page-size", "16K", "--ranges", ranges.toString(), "--image", dir.resolve("pre.img").toString());
        assertEquals(1, pre.exit());
        assertTrue(pre.err().contains("INVALID UNREPRESENTABLE at 0x4000"), pre.err());
    }

    /**
     * The map's second page would land on the preserved block at 0x5000, so encoding fails after it started writing
     * map pages (and after the image had to grow to hold the blocks): the image must be exactly as before, with no
     * temporary file beside it. Before encode wrote a copy, this left a grown, partly written image.
     */
    @ParameterizedTest(name = "--abi {0}")
    @ValueSource(strings = {"kho-v1-bitmap512", "kho-v2-radix"})
    void aFailureMidwayLeavesTheImageAsItWas(String abi) throws Exception {
        Path ranges = write("blocks.txt", BLOCKS);
        Path image = dir.resolve("mem.img");
        byte[] before = new byte[0x10000];
        new java.util.SplittableRandom(0x6b686f35L).nextBytes(before);
        Files.write(image, before);
        Cli.Result enc = Cli.run("memmap", "encode", "--abi", abi, "--ranges", ranges.toString(),
                "--image", image.toString(), "--alloc-from", "0x4000");
        assertEquals(1, enc.exit(), enc.toString());
        assertTrue(enc.err().contains("inside preserved block"), enc.err());
        assertArrayEquals(before, Files.readAllBytes(image));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.List.of("blocks.txt", "mem.img"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** A successful encode keeps the old content around the map pages and leaves unwritten pages as holes. */
    @Test
    void encodeKeepsTheOldContentAndNoTemporaryFile() throws Exception {
        Path ranges = write("blocks.txt", BLOCKS);
        Path image = dir.resolve("mem.img");
        byte[] before = new byte[0x3000];
        Arrays.fill(before, (byte) 0x5a);
        Files.write(image, before);
        Cli.Result enc = Cli.run("memmap", "encode", "--abi", "radix", "--ranges", ranges.toString(),
                "--image", image.toString(), "--alloc-from", "0x2000000");
        assertEquals(0, enc.exit(), enc.toString());
        byte[] after = Files.readAllBytes(image);
        assertArrayEquals(before, Arrays.copyOf(after, before.length));
        assertTrue(after.length > 0x2000000, "grown to hold the map pages: " + after.length);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }
}
