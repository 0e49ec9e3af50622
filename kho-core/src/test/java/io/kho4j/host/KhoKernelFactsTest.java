package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KhoKernelFactsTest {
    @Test
    void releasesMapToTheTableOfFacts() {
        assertEquals(Optional.of(new KhoKernelFacts("KHO_V1_BITMAP512", true, false, false)),
                KhoKernelFacts.forRelease("6.16.2"));
        assertEquals(Optional.of(new KhoKernelFacts("KHO_V1_BITMAP_PAGE", true, false, true)),
                KhoKernelFacts.forRelease("6.19.1"));
        assertEquals(Optional.of(new KhoKernelFacts("KHO_V4_BLOCKS", false, false, true)),
                KhoKernelFacts.forRelease("7.3.0"));
        assertEquals(Optional.of(new KhoKernelFacts("KHO_V4_BLOCKS", false, true, true)),
                KhoKernelFacts.forRelease("7.4.0-rc1"));
        assertEquals("kho_bootmem", KhoKernelFacts.forRelease("7.4.2").orElseThrow().scratchParameter());
    }

    @Test
    void releasesWithoutOneGenerationHaveNoFacts() {
        for (String r : new String[] {"5.10.0", "6.18-rc5", "6.17.0-14-generic", "8.0.0", "not a release"}) {
            assertTrue(KhoKernelFacts.forRelease(r).isEmpty(), r);
        }
    }
}
