package io.kho4j.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompatibilityTest {

    @ParameterizedTest(name = "{0} -> {1} keeps state")
    @CsvSource({"6.16.2, 6.17.8", "6.17.9, 6.18.2", "6.18.1, 7.0.3", "7.1.0, 7.1.4", "7.2.0, 7.4.1", "7.1-rc2, 7.1-rc3"})
    void sameGenerationKeepsState(String from, String to) throws Exception {
        Compatibility c = AbiGeneration.compatible(from, to);
        assertTrue(c.keepsState(), c.toString());
    }

    @Test
    void theStableBackportSplits617() throws Exception {
        Compatibility c = AbiGeneration.compatible("6.17.8", "6.17.9");
        assertFalse(c.keepsState());
        assertEquals(1, c.losses().size());
        assertTrue(c.losses().get(0).contains("512-byte vs 4096-byte"), c.losses().get(0));
        assertTrue(c.losses().get(0).contains("both write \"kho-v1\""), c.losses().get(0));
        assertFalse(AbiGeneration.compatible("6.17.3", "6.18.0").keepsState());
        assertFalse(AbiGeneration.compatible("6.18.0", "6.16.1").keepsState());
    }

    @Test
    void differentRootStringsDisableRevival() throws Exception {
        Compatibility c = AbiGeneration.compatible("7.0.1", "7.1.0");
        assertFalse(c.keepsState());
        assertTrue(c.losses().get(0).contains("disables KHO revival"), c.losses().get(0));
        assertFalse(AbiGeneration.compatible("7.1.3", "7.2.0").keepsState());
    }

    @Test
    void pageSizesMustMatch() throws Exception {
        Compatibility c = AbiGeneration.compatible(KernelRelease.parse("7.2.0"), 4096, KernelRelease.parse("7.2.0"),
                16384);
        assertFalse(c.keepsState());
        assertTrue(c.losses().get(0).contains("page sizes differ"), c.losses().get(0));
    }

    @Test
    void theSixteenKibRadixDepthChangedInside71Rc() throws Exception {
        KernelRelease rc5 = KernelRelease.parse("7.1-rc5");
        KernelRelease rc6 = KernelRelease.parse("7.1-rc6");
        Compatibility c = AbiGeneration.compatible(rc5, 16384, rc6, 16384);
        assertFalse(c.keepsState());
        assertTrue(c.losses().get(0).contains("depth changed from 4 to 5"), c.losses().get(0));
        assertTrue(AbiGeneration.compatible(rc5, 4096, rc6, 4096).keepsState());
        assertTrue(AbiGeneration.compatible(rc6, 16384, KernelRelease.parse("7.1.2"), 16384).keepsState());
        assertFalse(AbiGeneration.compatible(rc5, 16384, KernelRelease.parse("7.1.0"), 16384).keepsState());
    }

    @Test
    void notesTellWhatToDoEvenWhenStateIsKept() throws Exception {
        assertTrue(AbiGeneration.compatible("6.19.1", "7.0.0").notes().get(0).contains("stays 0"));
        assertTrue(AbiGeneration.compatible("6.16.1", "6.16.2").notes().get(0).contains("finalize"));
        assertTrue(AbiGeneration.compatible("7.3.0", "7.4.0").notes().get(0).contains("kho_bootmem="));
        assertEquals(0, AbiGeneration.compatible("7.2.0", "7.3.0").notes().size());
    }

    @Test
    void unmappableReleasesAreRefusedNotGuessed() {
        assertThrows(GenerationException.class, () -> AbiGeneration.compatible("6.18-rc5", "6.18.0"));
    }
}
