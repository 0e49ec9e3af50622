package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryMapFormatTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "kho-v1-bitmap512, CHUNKS_BITMAP512",
        "KHO_V1_BITMAP512, CHUNKS_BITMAP512",
        "Kho-V1_Bitmap-Page, CHUNKS_BITMAP_PAGE",
        "kho-v2-radix, RADIX_16K_PREFIX",
        "KHO_V3_BLOB_SIZE, RADIX",
        "kho-v4-blocks, RADIX",
        "radix, RADIX",
        "radix_16k_prefix, RADIX_16K_PREFIX",
        "chunks-bitmap-page, CHUNKS_BITMAP_PAGE"})
    void generationAndFormatNamesParse(String name, MemoryMapFormat expected) {
        assertEquals(expected, MemoryMapFormat.parse(name));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"kho-v1", "kho-v5", "''", "radix-tree"})
    void unknownNamesAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> MemoryMapFormat.parse(name));
    }
}
