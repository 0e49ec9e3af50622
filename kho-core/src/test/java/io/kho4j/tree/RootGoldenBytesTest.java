package io.kho4j.tree;

import io.kho4j.testsupport.GoldenBytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.RootLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Root FDT bytes per generation and layout, assembled by hand token by token from the FDT format (Devicetree
 * Specification ch. 5, libfdt's fdt_sw.c and fdt_rw.c semantics; kho-abi.md §1). Offsets and sizes in the
 * comments are worked out by hand. The in-place cases were also checked against Debian's libfdt 1.6.1 running the
 * kernel's call sequence (LibfdtInPlaceEditTest does that on random inputs).
 */
class RootGoldenBytesTest {
    private static final int MAGIC = 0xd00dfeed;
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int END = 9;
    private static final long MAP = 0x116be4000L;

    private static void assertBytes(byte[] expected, byte[] actual) {
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(actual));
        assertArrayEquals(expected, actual);
    }

    @Test
    void sequentialKhoV1As616WritesIt() throws Exception {
        // 6.16 kho_finalize: fdt_create(PAGE_SIZE), reservemap, root, compatible, placeholder, notifier subtrees.
        // Header 40 bytes, rsvmap at FDT_ALIGN(40, 16) = 48 (8 zero bytes between), struct at 64.
        // Strings grow downwards, newest first: "fdt\0" (0) "preserved-memory-map\0" (4) "compatible\0" (25) = 36.
        GoldenBytes b = new GoldenBytes();
        b.be32(MAGIC, 236, 64, 200, 48, 17, 16, 0, 36, 136).zeros(8);
        b.zeros(16);                                                       // 48: rsvmap terminator
        b.be32(BEGIN_NODE).zeros(4);                                       // 64: root ""
        b.be32(PROP, 7, 25).ascii("kho-v1\0").zeros(1);                   // 72: compatible
        b.be32(PROP, 8, 4).le64(MAP);                                      // 92: preserved-memory-map
        b.be32(BEGIN_NODE).ascii("memblock\0").zeros(3);                  // 112
        b.be32(PROP, 8, 0).le64(0x1234000L);                               // 128: fdt
        b.be32(END_NODE);                                                  // 148
        b.be32(BEGIN_NODE).ascii("kho_test\0").zeros(3);                  // 152
        b.be32(PROP, 8, 0).le64(0x5678000L);                               // 168: fdt
        b.be32(END_NODE, END_NODE, END);                                   // 188 .. 200
        b.ascii("fdt\0preserved-memory-map\0compatible\0");                // 200 .. 236
        assertEquals(236, b.size());

        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V1_BITMAP512, RootLayout.SEQUENTIAL);
        a.addSubtree("memblock", 0x1234000L, 4096).addSubtree("kho_test", 0x5678000L, 4096);
        assertBytes(b.bytes(), a.build(MAP));
    }

    @Test
    void inPlaceRootBeforeAnySubtreeIsTheSequentialSetupBlob() {
        // kho_out_fdt_setup alone (6.19): rsvmap 48, struct 64; strings "preserved-memory-map\0compatible\0".
        GoldenBytes b = new GoldenBytes();
        b.be32(MAGIC, 152, 64, 120, 48, 17, 16, 0, 32, 56).zeros(8);
        b.zeros(16);
        b.be32(BEGIN_NODE).zeros(4);
        b.be32(PROP, 7, 21).ascii("kho-v1\0").zeros(1);
        b.be32(PROP, 8, 0).le64(MAP);
        b.be32(END_NODE, END);
        b.ascii("preserved-memory-map\0compatible\0");
        assertEquals(152, b.size());
        assertBytes(b.bytes(), TreeAssembler.create(AbiGeneration.KHO_V1_BITMAP_PAGE, RootLayout.EDITED_IN_PLACE)
                .build(MAP));
    }

    @Test
    void inPlaceKhoV1As619WritesIt() throws Exception {
        // After fdt_pack: rsvmap at 40, struct at 56. fdt_add_subnode puts "LUO" (added second) before
        // "memblock"; "fdt" is appended to the strings table at 32.
        GoldenBytes b = new GoldenBytes();
        b.be32(MAGIC, 220, 56, 184, 40, 17, 16, 0, 36, 128);
        b.zeros(16);                                                       // 40
        b.be32(BEGIN_NODE).zeros(4);                                       // 56
        b.be32(PROP, 7, 21).ascii("kho-v1\0").zeros(1);                   // 64
        b.be32(PROP, 8, 0).le64(MAP);                                      // 84
        b.be32(BEGIN_NODE).ascii("LUO\0");                                 // 104
        b.be32(PROP, 8, 32).le64(0x5678000L);                              // 112
        b.be32(END_NODE);                                                  // 132
        b.be32(BEGIN_NODE).ascii("memblock\0").zeros(3);                  // 136
        b.be32(PROP, 8, 32).le64(0x1234000L);                              // 152
        b.be32(END_NODE, END_NODE, END);                                   // 172 .. 184
        b.ascii("preserved-memory-map\0compatible\0fdt\0");                // 184 .. 220
        assertEquals(220, b.size());

        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V1_BITMAP_PAGE, RootLayout.EDITED_IN_PLACE);
        a.addSubtree("memblock", 0x1234000L, 4096).addSubtree("LUO", 0x5678000L, 4096);
        assertBytes(b.bytes(), a.build(MAP));
    }

    @Test
    void khoV2HasPreservedDataAndNoBlobSize() throws Exception {
        // Struct: root 8 + compatible 20 + map 20 + "memblock" 16 + preserved-data 20 + 3 end tokens = 96.
        GoldenBytes b = new GoldenBytes();
        b.be32(MAGIC, 199, 56, 152, 40, 17, 16, 0, 47, 96);
        b.zeros(16);                                                       // 40
        b.be32(BEGIN_NODE).zeros(4);                                       // 56
        b.be32(PROP, 7, 21).ascii("kho-v2\0").zeros(1);                   // 64
        b.be32(PROP, 8, 0).le64(MAP);                                      // 84
        b.be32(BEGIN_NODE).ascii("memblock\0").zeros(3);                  // 104
        b.be32(PROP, 8, 32).le64(0x1234000L);                              // 120: preserved-data
        b.be32(END_NODE, END_NODE, END);                                   // 140 .. 152
        b.ascii("preserved-memory-map\0compatible\0preserved-data\0");     // 152 .. 199
        assertEquals(199, b.size());

        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V2_RADIX, RootLayout.EDITED_IN_PLACE);
        a.addSubtree("memblock", 0x1234000L, 4096);
        assertBytes(b.bytes(), a.build(MAP));
    }

    @Test
    void khoV3PutsBlobSizeBeforePreservedDataAndTheNewestChildFirst() throws Exception {
        // kho_add_subtree sets preserved-data, then blob-size; each fdt_setprop inserts first in the node.
        // Strings: "preserved-memory-map\0" 0, "compatible\0" 21, "preserved-data\0" 32, "blob-size\0" 47 = 57.
        GoldenBytes b = new GoldenBytes();
        b.be32(MAGIC, 293, 56, 236, 40, 17, 16, 0, 57, 180);
        b.zeros(16);                                                       // 40
        b.be32(BEGIN_NODE).zeros(4);                                       // 56
        b.be32(PROP, 7, 21).ascii("kho-v3\0").zeros(1);                   // 64
        b.be32(PROP, 8, 0).le64(MAP);                                      // 84
        b.be32(BEGIN_NODE).ascii("kexec-metadata\0").zeros(1);            // 104
        b.be32(PROP, 8, 47).le64(73);                                      // 124: blob-size
        b.be32(PROP, 8, 32).le64(0x5678000L);                              // 144: preserved-data
        b.be32(END_NODE);                                                  // 164
        b.be32(BEGIN_NODE).ascii("memblock\0").zeros(3);                  // 168
        b.be32(PROP, 8, 47).le64(4096);                                    // 184
        b.be32(PROP, 8, 32).le64(0x1234000L);                              // 204
        b.be32(END_NODE, END_NODE, END);                                   // 224 .. 236
        b.ascii("preserved-memory-map\0compatible\0preserved-data\0blob-size\0");
        assertEquals(293, b.size());

        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V3_BLOB_SIZE, RootLayout.EDITED_IN_PLACE);
        a.addSubtree("memblock", 0x1234000L, 4096).addSubtree("kexec-metadata", 0x5678000L, 73);
        assertBytes(b.bytes(), a.build(MAP));
    }

    @Test
    void khoV4RootIsLaidOutLikeV3() throws Exception {
        GoldenBytes b = new GoldenBytes();
        b.be32(MAGIC, 221, 56, 164, 40, 17, 16, 0, 57, 108);
        b.zeros(16);                                                       // 40
        b.be32(BEGIN_NODE).zeros(4);                                       // 56
        b.be32(PROP, 7, 21).ascii("kho-v4\0").zeros(1);                   // 64
        b.be32(PROP, 8, 0).le64(MAP);                                      // 84
        b.be32(BEGIN_NODE).ascii("LUO\0");                                 // 104
        b.be32(PROP, 8, 47).le64(32);                                      // 112: blob-size of struct luo_ser
        b.be32(PROP, 8, 32).le64(0x5678000L);                              // 132
        b.be32(END_NODE, END_NODE, END);                                   // 152 .. 164
        b.ascii("preserved-memory-map\0compatible\0preserved-data\0blob-size\0");
        assertEquals(221, b.size());

        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V4_BLOCKS, RootLayout.EDITED_IN_PLACE);
        a.addSubtree("LUO", 0x5678000L, 32);
        assertBytes(b.bytes(), a.build(MAP));
    }

    @Test
    void removedSubtreesLeaveTheirPropertyNameAndThePackedLayout() throws Exception {
        // kho_remove_subtree: fdt_del_node keeps the strings table; fdt_pack keeps rsvmap at 40.
        GoldenBytes b = new GoldenBytes();
        b.be32(MAGIC, 148, 56, 112, 40, 17, 16, 0, 36, 56);
        b.zeros(16);                                                       // 40
        b.be32(BEGIN_NODE).zeros(4);                                       // 56
        b.be32(PROP, 7, 21).ascii("kho-v1\0").zeros(1);                   // 64
        b.be32(PROP, 8, 0).le64(MAP);                                      // 84
        b.be32(END_NODE, END);                                             // 104 .. 112
        b.ascii("preserved-memory-map\0compatible\0fdt\0");                // 112 .. 148
        assertEquals(148, b.size());

        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V1_BITMAP_PAGE, RootLayout.EDITED_IN_PLACE);
        a.addSubtree("memblock", 0x1234000L, 4096).addSubtree("LUO", 0x5678000L, 4096);
        assertEquals(true, a.removeSubtree(0x1234000L));
        assertEquals(true, a.removeSubtree(0x5678000L));
        assertEquals(false, a.removeSubtree(0x5678000L));
        assertBytes(b.bytes(), a.build(MAP));
    }
}
