package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.RootLayout;
import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import io.kho4j.tree.TreeAssembler;
import io.kho4j.tree.TreeCodec;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {
    private static final long BASE = 0x1_0000_0000L;

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ErrorHandler handler = new ErrorHandler();
        int exit = new CommandLine(new InspectCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).setExecutionExceptionHandler(handler)
                .setParameterExceptionHandler(handler).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A kho-v3 root with an FDT subtree and a raw one, and a sparse memory image holding both blobs. */
    private Path[] handover() throws Exception {
        byte[] memblock = TreeCodec.encode(KhoNode.builder("").property(Property.strings("compatible", "memblock-v1"))
                .build());
        byte[] metadata = new byte[73];
        metadata[0] = 1;
        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V3_BLOB_SIZE, RootLayout.EDITED_IN_PLACE);
        a.addSubtree("memblock", BASE + 0x10000, memblock.length).addSubtree("kexec-metadata", BASE + 0x20000, 73);
        Path root = Files.write(dir.resolve("fdt"), a.build(BASE + 0x30000));
        Path image = dir.resolve("image");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(1 << 20);
            f.seek(0x10000);
            f.write(memblock);
            f.seek(0x20000);
            f.write(metadata);
        }
        return new Path[] {root, image};
    }

    @Test
    void printsGenerationSubtreesAndBlobs() throws Exception {
        Path[] h = handover();
        Run r = run(h[0].toString(), "--memory", h[1].toString(), "--base", "0x100000000");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("generation KHO_V3_BLOB_SIZE (7.1-rc1 - 7.1.x)"), r.out());
        assertTrue(r.out().contains("preserved-memory-map 0x100030000 (RADIX)"), r.out());
        assertTrue(r.out().contains("subtree kexec-metadata preserved-data=0x100020000 blob-size=73\n  blob 73 bytes, raw"),
                r.out());
        assertTrue(r.out().contains("subtree memblock preserved-data=0x100010000 blob-size="), r.out());
        assertTrue(r.out().contains("fdt, compatible [memblock-v1]"), r.out());
    }

    @Test
    void jsonHasTheSameFacts() throws Exception {
        Path[] h = handover();
        Run r = run(h[0].toString(), "--memory", h[1].toString(), "--base", "4294967296", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("{\"file\":"), r.out());
        assertTrue(r.out().contains("\"generation\":\"KHO_V3_BLOB_SIZE\""), r.out());
        assertTrue(r.out().contains("{\"name\":\"kexec-metadata\",\"address\":\"0x100020000\",\"size\":73,"
                + "\"blob\":{\"bytes\":73,\"format\":\"raw\"}}"), r.out());
        assertTrue(r.out().contains("\"compatible\":[\"memblock-v1\"]"), r.out());
        assertTrue(r.out().contains("\"issues\":[]"), r.out());
    }

    @Test
    void withoutMemoryOrReleaseAKhoV1RootIsShownAsAmbiguous() throws Exception {
        byte[] v1 = TreeAssembler.create(AbiGeneration.KHO_V1_BITMAP512, RootLayout.SEQUENTIAL)
                .addSubtree("memblock", 0x1_1715_0000L, 0).build(0x1_16be_4000L);
        Path root = Files.write(dir.resolve("v1"), v1);
        Run r = run(root.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("generation ambiguous"), r.out());
        assertTrue(r.out().contains("subtree memblock fdt=0x117150000"), r.out());
        Run withRelease = run(root.toString(), "--release", "6.17.9");
        assertTrue(withRelease.out().contains("generation KHO_V1_BITMAP_PAGE"), withRelease.out());
    }

    @Test
    void hostileNamesCannotBreakTheOutputLines() throws Exception {
        byte[] root = TreeCodec.encode(KhoNode.builder("").property(Property.strings("compatible", "kho-v4"))
                .property(Property.u64("preserved-memory-map", 1, ByteOrder.LITTLE_ENDIAN))
                .child(KhoNode.builder("evil\nsubtree fake").property(Property.u64("preserved-data", 1,
                        ByteOrder.LITTLE_ENDIAN)).property(Property.u64("blob-size", 1, ByteOrder.LITTLE_ENDIAN)).build())
                .build());
        Run r = run(Files.write(dir.resolve("evil"), root).toString());
        assertTrue(r.out().contains("subtree evil\\x0asubtree fake preserved-data=0x1"), r.out());
        assertEquals(4, r.out().split("\n").length, r.out());
    }

    @Test
    void refusalAndIssuesSetTheExitStatus() throws Exception {
        Path[] h = handover();
        Run refused = run(h[0].toString(), "--release", "7.0.2");
        assertEquals(1, refused.exit());
        assertTrue(refused.out().startsWith("REFUSED INCOMPATIBLE"), refused.out());

        Run refusedJson = run(h[0].toString(), "--release", "7.0.2", "--json");
        assertTrue(refusedJson.out().contains("\"accepted\":false,\"reason\":\"INCOMPATIBLE\""), refusedJson.out());

        Run outside = run(h[0].toString(), "--memory", h[1].toString(), "--base", "0");
        assertEquals(ExitCodes.INVALID_INPUT, outside.exit(), outside.out());
        assertTrue(outside.out().contains("issue memblock (at 0x100010000): blob [0x100010000, +0x"), outside.out());

        byte[] broken = TreeCodec.encode(KhoNode.builder("").property(Property.strings("compatible", "kho-v4"))
                .property(Property.u64("preserved-memory-map", 1, ByteOrder.LITTLE_ENDIAN))
                .child(KhoNode.builder("x").property(Property.u32("preserved-data", 1, ByteOrder.LITTLE_ENDIAN)).build())
                .build());
        Run shortPointer = run(Files.write(dir.resolve("broken"), broken).toString());
        assertEquals(ExitCodes.INVALID_INPUT, shortPointer.exit());
        assertTrue(shortPointer.out().contains("issue x (root offset"), shortPointer.out());
    }

    @Test
    void badInputGivesOneLineAndStatusOne() throws Exception {
        Path[] h = handover();
        Run release = run(h[0].toString(), "--release", "6.15.0");
        assertEquals(ExitCodes.USAGE, release.exit());
        assertTrue(release.err().startsWith("inspect: kernel 6.15.0: KHO was merged in 6.16"), release.err());
        Run missing = run(dir.resolve("missing").toString());
        assertEquals(ExitCodes.INVALID_INPUT, missing.exit());
        assertTrue(missing.err().startsWith("inspect: no such file: "), missing.err());
        Run base = run(h[0].toString(), "--memory", h[1].toString(), "--base", "zzz");
        assertEquals(ExitCodes.USAGE, base.exit());
        assertTrue(base.err().contains("'zzz' is not a number"), base.err());
        Run emptyImage = run(h[0].toString(), "--memory", Files.write(dir.resolve("empty"), new byte[0]).toString());
        assertEquals(ExitCodes.INVALID_INPUT, emptyImage.exit());
        assertTrue(emptyImage.err().contains("is empty"), emptyImage.err());
        Run garbage = run(Files.write(dir.resolve("garbage"), new byte[] {1, 2, 3}).toString());
        assertEquals(1, garbage.exit());
        assertTrue(garbage.out().startsWith("REFUSED INVALID_FDT"), garbage.out());
    }
}
