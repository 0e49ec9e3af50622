package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.testsupport.ExternalTools;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three text forms, pinned with hand-written expected text. */
class DumpFormatTest {
    @TempDir
    Path dir;

    /** Root with a reservation, boot CPU 1 and one property of each shape dtc's decompiler tells apart. */
    private static byte[] shapes() {
        RawFdt.Strings s = new RawFdt.Strings();
        String[] names = {"empty", "str", "list", "octal", "escapes", "cells", "zeros", "bytes", "nul"};
        int[] off = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            off[i] = s.add(names[i]);
        }
        RawFdt.Struct t = new RawFdt.Struct().begin("")
                .prop(off[0], new byte[0])
                .prop(off[1], "kho-v1")
                .prop(off[2], "a\0bc")
                .prop(off[3], "x\0" + "7y")
                .prop(off[4], "\u0007\b\t\n\u000b\f\r\\\"")
                .prop(off[5], RawFdt.be32(4, 0xdeadbeef))
                .prop(off[6], new byte[4])
                .prop(off[7], new byte[] {1, 2, (byte) 0xc3})
                .prop(off[8], new byte[] {0})
                .begin("n@1").begin("deeper").end().end()
                .begin("m").end()
                .end().finish();
        RawFdt.Blob b = new RawFdt.Blob().reserve(0x8000_0000L, 0x10_0000L).struct(t).strings(s);
        b.bootCpuidPhys = 1;
        return b.build();
    }

    @Test
    void canonicalDumpIsTheDesignFormat() throws Exception {
        assertEquals("fdt version=17 last_comp_version=16 boot_cpuid_phys=1\n"
                + "rsv 0x0000000080000000 0x0000000000100000\n"
                + "node /\n"
                + "prop / empty\n"
                + "prop / str 6b686f2d763100\n"
                + "prop / list 6100626300\n"
                + "prop / octal 7800377900\n"
                + "prop / escapes 0708090a0b0c0d5c2200\n"
                + "prop / cells 00000004deadbeef\n"
                + "prop / zeros 00000000\n"
                + "prop / bytes 0102c3\n"
                + "prop / nul 00\n"
                + "node /n@1\n"
                + "node /n@1/deeper\n"
                + "node /m\n", CanonicalDump.toString(FdtValidator.standard().validate(shapes())));
    }

    @Test
    void dtsShowsEachValueAsDtcGuessesIt() throws Exception {
        String expected = "/dts-v1/;\n\n"
                + "/memreserve/\t0x0000000080000000 0x0000000000100000;\n"
                + "/ {\n"
                + "\tempty;\n"
                + "\tstr = \"kho-v1\";\n"
                + "\tlist = \"a\\0bc\";\n"
                + "\toctal = \"x\\0007y\";\n"
                + "\tescapes = \"\\a\\b\\t\\n\\v\\f\\r\\\\\\\"\";\n"
                + "\tcells = <0x04 0xdeadbeef>;\n"
                + "\tzeros = <0x00>;\n"
                + "\tbytes = [01 02 c3];\n"
                + "\tnul = [00];\n"
                + "\n\tn@1 {\n\n\t\tdeeper {\n\t\t};\n\t};\n"
                + "\n\tm {\n\t};\n"
                + "};\n";
        byte[] blob = shapes();
        assertEquals(expected, DtsFormatter.toString(FdtValidator.standard().validate(blob)));
        // dtc agrees except on "octal", where its "x\07y" would compile to different bytes
        assertEquals(expected.replace("x\\0007y", "x\\07y"), ExternalTools.dtbToDts(blob));
        // and our text compiles back to the same content (dtc does not carry boot_cpuid_phys through DTS)
        RawFdt.put32(blob, RawFdt.BOOT_CPU, 0);
        assertEquals(CanonicalDump.toString(FdtValidator.standard().validate(blob)),
                CanonicalDump.toString(FdtValidator.standard().validate(ExternalTools.dtsToDtb(expected))));
    }

    @Test
    void jsonCarriesTheCanonicalContent() throws Exception {
        assertEquals("{\"version\": 17, \"last_comp_version\": 16, \"boot_cpuid_phys\": 1,\n"
                + " \"reservations\": [{\"address\": \"0x0000000080000000\", \"size\": \"0x0000000000100000\"}],\n"
                + " \"nodes\": [\n"
                + "  {\"path\": \"/\", \"properties\": [{\"name\": \"empty\", \"length\": 0, \"value\": \"\"}, "
                + "{\"name\": \"str\", \"length\": 7, \"value\": \"6b686f2d763100\"}, "
                + "{\"name\": \"list\", \"length\": 5, \"value\": \"6100626300\"}, "
                + "{\"name\": \"octal\", \"length\": 5, \"value\": \"7800377900\"}, "
                + "{\"name\": \"escapes\", \"length\": 10, \"value\": \"0708090a0b0c0d5c2200\"}, "
                + "{\"name\": \"cells\", \"length\": 8, \"value\": \"00000004deadbeef\"}, "
                + "{\"name\": \"zeros\", \"length\": 4, \"value\": \"00000000\"}, "
                + "{\"name\": \"bytes\", \"length\": 3, \"value\": \"0102c3\"}, "
                + "{\"name\": \"nul\", \"length\": 1, \"value\": \"00\"}]},\n"
                + "  {\"path\": \"/n@1\", \"properties\": []},\n"
                + "  {\"path\": \"/n@1/deeper\", \"properties\": []},\n"
                + "  {\"path\": \"/m\", \"properties\": []}\n"
                + " ]}\n", JsonDump.toString(FdtValidator.standard().validate(shapes())));
    }

    @Test
    void namesThatWouldBreakALineAreEscaped() throws Exception {
        RawFdt.Strings s = new RawFdt.Strings();
        int weird = s.add("p q");
        RawFdt.Struct t = new RawFdt.Struct().begin("").begin("a b\n\\\u00e9\"").prop(weird, new byte[] {1}).end().end()
                .finish();
        ValidatedFdt fdt = FdtValidator.standard().validate(new RawFdt.Blob().struct(t).strings(s).build());
        assertEquals("node /a\\x20b\\x0a\\x5c\\xe9\"\nprop /a\\x20b\\x0a\\x5c\\xe9\" p\\x20q 01\n",
                CanonicalDump.toString(fdt).substring(CanonicalDump.toString(fdt).indexOf("node /a")));
        assertTrue(JsonDump.toString(fdt).contains("{\"path\": \"/a\\\\x20b\\\\x0a\\\\x5c\\\\xe9\\\"\""));
        assertTrue(DtsFormatter.toString(fdt).contains("\ta\\x20b\\x0a\\x5c\\xe9\" {\n\t\tp\\x20q = [01];\n"));
    }

    @Test
    void dumpFormatDelegatesToEachClass() throws Exception {
        ValidatedFdt fdt = FdtValidator.standard().validate(shapes());
        assertEquals(CanonicalDump.toString(fdt), DumpFormat.CANONICAL.toString(fdt));
        assertEquals(DtsFormatter.toString(fdt), DumpFormat.DTS.toString(fdt));
        StringBuilder sb = new StringBuilder();
        DumpFormat.JSON.write(fdt, sb);
        assertEquals(JsonDump.toString(fdt), sb.toString());
    }

    @Test
    void directAndMappedBuffersReadTheSameAsHeapArrays() throws Exception {
        byte[] blob = shapes();
        String expected = CanonicalDump.toString(FdtValidator.standard().validate(blob));
        ByteBuffer direct = ByteBuffer.allocateDirect(blob.length + 16);
        direct.position(16);
        direct.put(blob).position(16);
        assertEquals(expected, CanonicalDump.toString(FdtValidator.standard().validate(direct)));
        assertEquals(16, direct.position(), "the caller's buffer is not moved");
        Path file = dir.resolve("blob.dtb");
        Files.write(file, blob);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ValidatedFdt mapped = FdtValidator.standard().validate(ch.map(FileChannel.MapMode.READ_ONLY, 0, blob.length));
            assertEquals(expected, CanonicalDump.toString(mapped));
        }
    }
}
