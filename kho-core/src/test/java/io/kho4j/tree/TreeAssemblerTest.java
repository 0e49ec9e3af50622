package io.kho4j.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.abi.RootLayout;
import io.kho4j.fdt.FdtValidator;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TreeAssemblerTest {

    @ParameterizedTest
    @EnumSource(RootLayout.class)
    void aDuplicateNameIsTheKernelsEexist(RootLayout layout) throws Exception {
        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V1_BITMAP_PAGE, layout);
        a.addSubtree("memblock", 0x1000, 1);
        DuplicateSubtreeException e = assertThrows(DuplicateSubtreeException.class,
                () -> a.addSubtree("memblock", 0x2000, 1));
        assertEquals(DuplicateSubtreeException.EEXIST, e.errno());
        assertEquals(1, a.subtrees().size());
    }

    @Test
    void namesCompareAsLibfdtDoes() throws Exception {
        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V4_BLOCKS, RootLayout.EDITED_IN_PLACE);
        a.addSubtree("vm@1", 0x1000, 1);
        // "vm" would be found as "vm@1" by fdt_subnode_offset, so fdt_add_subnode says FDT_ERR_EXISTS ...
        assertTrue(assertThrows(DuplicateSubtreeException.class, () -> a.addSubtree("vm", 0x2000, 1)).getMessage()
                .contains("as \"vm@1\""));
        // ... but "vm@2" and "vm1" are different nodes.
        a.addSubtree("vm@2", 0x2000, 1).addSubtree("vm1", 0x3000, 1);
        assertEquals(3, a.subtrees().size());
    }

    @Test
    void invalidNamesAndLayoutsAreProgrammingErrors() {
        TreeAssembler a = TreeAssembler.create(AbiGeneration.KHO_V3_BLOB_SIZE, RootLayout.EDITED_IN_PLACE);
        assertThrows(IllegalArgumentException.class, () -> a.addSubtree("", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> a.addSubtree("a/b", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> a.addSubtree("a\0b", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> a.addSubtree("\u20ac", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> a.addSubtree("x", 0, -1));
        assertThrows(IllegalArgumentException.class,
                () -> TreeAssembler.create(AbiGeneration.KHO_V3_BLOB_SIZE, RootLayout.SEQUENTIAL));
        assertThrows(IllegalArgumentException.class,
                () -> TreeAssembler.create(AbiGeneration.KHO_V1_BITMAP512, RootLayout.EDITED_IN_PLACE));
        assertThrows(UnsupportedOperationException.class,
                () -> TreeAssembler.create(AbiGeneration.KHO_V1_BITMAP512, RootLayout.SEQUENTIAL).removeSubtree(0));
    }

    @ParameterizedTest
    @EnumSource(AbiGeneration.class)
    void theRootMustFitOnePageAndTheErrorNamesTheSize(AbiGeneration g) throws Exception {
        RootLayout layout = g.rootLayouts().iterator().next();
        TreeAssembler a = TreeAssembler.create(g, layout, 4096, ByteOrder.LITTLE_ENDIAN);
        int added = 0;
        RootOverflowException overflow = null;
        while (overflow == null) {
            try {
                a.addSubtree(String.format("subsystem-with-a-long-name-%04d", added), 0x1000L * added, 4096);
                added++;
            } catch (RootOverflowException e) {
                overflow = e;
            }
        }
        assertTrue(overflow.size() > 4096 && overflow.limit() == 4096, overflow.getMessage());
        assertTrue(overflow.getMessage().contains(overflow.size() + " bytes"), overflow.getMessage());
        byte[] full = a.build(0x1000);
        assertTrue(full.length <= 4096 && full.length > 4096 - 100, "length " + full.length);
        assertEquals(added, FdtValidator.standard().validate(full).root().children().size());
    }

    @Test
    void forKernelPicksGenerationAndLayout() throws Exception {
        assertEquals(RootLayout.SEQUENTIAL, TreeAssembler.forKernel(KernelRelease.parse("6.18.1"), 4096).layout());
        TreeAssembler a = TreeAssembler.forKernel(KernelRelease.parse("6.19.0"), 4096);
        assertEquals(RootLayout.EDITED_IN_PLACE, a.layout());
        assertEquals(AbiGeneration.KHO_V1_BITMAP_PAGE, a.generation());
        assertThrows(GenerationException.class, () -> TreeAssembler.forKernel(KernelRelease.parse("6.15.0"), 4096));
    }

    @Test
    void blobSizeIsReportedFromKhoV3Only() throws Exception {
        assertTrue(TreeAssembler.create(AbiGeneration.KHO_V2_RADIX, RootLayout.EDITED_IN_PLACE)
                .addSubtree("a", 0x1000, 77).subtrees().get(0).size().isEmpty());
        assertEquals(77, TreeAssembler.create(AbiGeneration.KHO_V3_BLOB_SIZE, RootLayout.EDITED_IN_PLACE)
                .addSubtree("a", 0x1000, 77).subtrees().get(0).size().getAsLong());
    }
}
