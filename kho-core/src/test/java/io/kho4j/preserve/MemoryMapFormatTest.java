package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryMapFormatTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "CHUNKS_BITMAP512, CHUNKS_BITMAP512",
        "Chunks-Bitmap_Page, CHUNKS_BITMAP_PAGE",
        "radix, RADIX",
        "radix_16k_prefix, RADIX_16K_PREFIX",
        "chunks-bitmap-page, CHUNKS_BITMAP_PAGE"})
    void formatNamesParse(String name, MemoryMapFormat expected) {
        assertEquals(expected, MemoryMapFormat.parse(name));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"kho-v1", "kho-v4-blocks", "''", "radix-tree"})
    void unknownNamesAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> MemoryMapFormat.parse(name));
    }
}
