package io.kho4j.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A buffer built from its mem words equals the one built from pages, and refuses words that are no ranges. */
class CpuBufferTest {
    @Test
    void wordsAndPagesGiveEqualBuffers() {
        CpuBuffer fromPages = new CpuBuffer(3, List.of(BufferPage.of(0x1000, BufferPageLayout.V1, 0x2000, 0x1000),
                BufferPage.of(0x1038, BufferPageLayout.V1, 0x3000, 0x1000)));
        long[] words = {0x1000, 0x38, 0x2000, 0x1000, 0x1038, 0x38, 0x3000, 0x1000};
        CpuBuffer fromWords = CpuBuffer.of(3, words);
        words[0] = 0x5000;
        assertEquals(fromPages, fromWords);
        assertEquals(fromWords, fromPages);
        assertEquals(fromPages.hashCode(), fromWords.hashCode());
        assertEquals(List.copyOf(fromPages.pages()), fromWords.pages());
        assertEquals(BufferPage.of(0x1038, BufferPageLayout.V1, 0x3000, 0x1000), fromWords.pages().get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> fromWords.pages().get(2));
        assertThrows(UnsupportedOperationException.class, () -> fromWords.pages().remove(0));
    }

    @Test
    void wordsThatAreNoRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CpuBuffer.of(0, new long[] {0x1000, 0x38, 0x2000}));
        assertThrows(IllegalArgumentException.class, () -> CpuBuffer.of(0, new long[] {0x1000, 0, 0x2000, 0x1000}));
        assertThrows(IllegalArgumentException.class, () -> CpuBuffer.of(0, new long[] {-1, 0x38, 0x2000, 0x1000}));
        assertThrows(IllegalArgumentException.class, () -> CpuBuffer.of(0, new long[] {0x1000, 0x38, Long.MAX_VALUE,
            0x1000}));
        assertThrows(IllegalArgumentException.class, () -> CpuBuffer.of(-1, new long[0]));
    }
}
