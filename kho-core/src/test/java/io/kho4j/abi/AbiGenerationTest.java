package io.kho4j.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AbiGenerationTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "6.16-rc1, KHO_V1_BITMAP512",
        "6.16.0, KHO_V1_BITMAP512",
        "6.16.12, KHO_V1_BITMAP512",
        "6.17-rc7, KHO_V1_BITMAP512",
        "6.17.0, KHO_V1_BITMAP512",
        "6.17.8, KHO_V1_BITMAP512",
        "6.17.9, KHO_V1_BITMAP_PAGE",
        "6.17.13, KHO_V1_BITMAP_PAGE",
        "6.17.9-200.fc43.x86_64, KHO_V1_BITMAP_PAGE",
        "6.18-rc1, KHO_V1_BITMAP512",
        "6.18-rc3, KHO_V1_BITMAP512",
        "6.18-rc7, KHO_V1_BITMAP_PAGE",
        "6.18.0, KHO_V1_BITMAP_PAGE",
        "6.18.3, KHO_V1_BITMAP_PAGE",
        "6.19-rc1, KHO_V1_BITMAP_PAGE",
        "6.19.4, KHO_V1_BITMAP_PAGE",
        "7.0.0, KHO_V1_BITMAP_PAGE",
        "7.0.9-arch1-1, KHO_V1_BITMAP_PAGE",
        "7.1-rc1, KHO_V3_BLOB_SIZE",
        "7.1.0-rc5, KHO_V3_BLOB_SIZE",
        "7.1.2, KHO_V3_BLOB_SIZE",
        "7.2-rc1, KHO_V4_BLOCKS",
        "7.3.1, KHO_V4_BLOCKS",
        "7.4.0-rc1, KHO_V4_BLOCKS",
        "7.4.11, KHO_V4_BLOCKS",
    })
    void kernelReleasesMapToOneGeneration(String release, AbiGeneration expected) throws Exception {
        assertEquals(expected, AbiGeneration.forKernelRelease(release));
    }

    @ParameterizedTest(name = "{0} refused: {1}")
    @CsvSource({
        "6.15.9, UNSUPPORTED_RELEASE",
        "5.10.0, UNSUPPORTED_RELEASE",
        "6.20.0, UNSUPPORTED_RELEASE",
        "7.5-rc1, UNSUPPORTED_RELEASE",
        "8.0.0, UNSUPPORTED_RELEASE",
        "7.1.0-rc7-next-20260605, UNSUPPORTED_RELEASE",
        "6.18-rc4, AMBIGUOUS_RELEASE",
        "6.18-rc6, AMBIGUOUS_RELEASE",
        "6.17.0-14-generic, AMBIGUOUS_RELEASE",
        "6.16.3+, AMBIGUOUS_RELEASE",
        "linux, MALFORMED_RELEASE",
        "6, MALFORMED_RELEASE",
        "6.17.9-rc1, MALFORMED_RELEASE",
        "7.0-rc0-rc11, MALFORMED_RELEASE", // found by TextParsersFuzzTest: printed back as 7.0.0-rc11
    })
    void unknownOrAmbiguousReleasesAreRefused(String release, GenerationException.Kind kind) {
        GenerationException e = assertThrows(GenerationException.class, () -> AbiGeneration.forKernelRelease(release));
        assertEquals(kind, e.kind(), e.getMessage());
    }

    @Test
    void theVendorRefusalExplainsTheBackport() {
        GenerationException e = assertThrows(GenerationException.class,
                () -> AbiGeneration.forKernelRelease("6.17.0-14-generic"));
        assertTrue(e.getMessage().contains("PRESERVE_BITS") && e.getMessage().contains("kho-v1-bitmap-page"),
                e.getMessage());
    }

    @Test
    void factsPerGeneration() {
        assertEquals("fdt", AbiGeneration.KHO_V1_BITMAP512.subtreeProperty());
        assertEquals("preserved-data", AbiGeneration.KHO_V2_RADIX.subtreeProperty());
        assertEquals(Optional.empty(), AbiGeneration.KHO_V2_RADIX.sizeProperty());
        assertEquals(Optional.of("blob-size"), AbiGeneration.KHO_V4_BLOCKS.sizeProperty());
        assertEquals(512, AbiGeneration.KHO_V1_BITMAP512.memoryMap().bitmapBytes(4096));
        assertEquals(16384, AbiGeneration.KHO_V1_BITMAP_PAGE.memoryMap().bitmapBytes(16384));
        assertEquals(io.kho4j.preserve.MemoryMapFormat.RADIX, AbiGeneration.KHO_V3_BLOB_SIZE.memoryMap());
        assertEquals(io.kho4j.preserve.MemoryMapFormat.RADIX_16K_PREFIX, AbiGeneration.KHO_V2_RADIX.memoryMap());
        assertEquals(io.kho4j.preserve.MemoryMapFormat.CHUNKS_BITMAP512, AbiGeneration.KHO_V1_BITMAP512.memoryMap());
        assertEquals(io.kho4j.preserve.MemoryMapFormat.CHUNKS_BITMAP_PAGE, AbiGeneration.KHO_V1_BITMAP_PAGE.memoryMap());
        assertTrue(AbiGeneration.KHO_V1_BITMAP_PAGE.needsFinalize());
        assertFalse(AbiGeneration.KHO_V2_RADIX.needsFinalize());
        assertFalse(AbiGeneration.KHO_V1_BITMAP_PAGE.allowsRawBlobs());
        assertEquals("kho-v3", AbiGeneration.KHO_V3_BLOB_SIZE.rootCompatible().toString());
    }

    @Test
    void generationNamesParseLikeTheCli() throws Exception {
        assertEquals(AbiGeneration.KHO_V1_BITMAP512, AbiGeneration.parse("kho-v1-bitmap512"));
        assertEquals(AbiGeneration.KHO_V2_RADIX, AbiGeneration.parse(" KHO_V2_RADIX "));
        assertEquals(AbiGeneration.KHO_V4_BLOCKS, AbiGeneration.parse(AbiGeneration.KHO_V4_BLOCKS.cliName()));
        GenerationException e = assertThrows(GenerationException.class, () -> AbiGeneration.parse("kho-v5"));
        assertTrue(e.getMessage().contains("kho-v3-blob-size"), e.getMessage());
    }

    @Test
    void detectionFromTheRootTree() throws Exception {
        assertEquals(AbiGeneration.KHO_V3_BLOB_SIZE, AbiGeneration.detect(List.of("kho-v3")));
        assertEquals(AbiGeneration.KHO_V2_RADIX, AbiGeneration.detect(List.of("acme-v1", "kho-v2")));
        GenerationException v1 = assertThrows(GenerationException.class, () -> AbiGeneration.detect(List.of("kho-v1")));
        assertEquals(GenerationException.Kind.AMBIGUOUS_TREE, v1.kind());
        assertTrue(v1.getMessage().contains("name the kernel release"), v1.getMessage());
        assertEquals(GenerationException.Kind.AMBIGUOUS_TREE, assertThrows(GenerationException.class,
                () -> AbiGeneration.detect(List.of("kho-v3", "kho-v4"))).kind());
        assertEquals(GenerationException.Kind.UNKNOWN_COMPATIBLE, assertThrows(GenerationException.class,
                () -> AbiGeneration.detect(List.of("kho-v9"))).kind());
    }

    @Test
    void releasesParseAndOrder() throws Exception {
        KernelRelease r = KernelRelease.parse("7.4.0-rc1");
        assertEquals(new KernelRelease(7, 4, 0, 1, ""), r);
        assertEquals("6.17.0-14-generic", KernelRelease.parse("6.17.0-14-generic").toString());
        assertEquals("-14-generic", KernelRelease.parse("6.17.0-14-generic").localVersion());
        assertTrue(KernelRelease.parse("6.18-rc7").isBefore(KernelRelease.parse("6.18")));
        assertTrue(KernelRelease.parse("6.17.8").isBefore(KernelRelease.parse("6.17.9")));
        assertTrue(KernelRelease.parse("6.19.12").isBefore(KernelRelease.parse("7.0-rc1")));
    }
}
