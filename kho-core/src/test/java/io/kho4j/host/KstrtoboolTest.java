package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.abi.KernelRelease;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KstrtoboolTest {

    /** Expected values from the switch in lib/kstrtox.c before and after ae5b3500856f (6.17). */
    @ParameterizedTest(name = "kstrtobool(\"{0}\"): 6.16 {1}, 6.17 {2}")
    @CsvSource(nullValues = "-", value = {
        "y, true, true", "Yes, true, true", "t, true, true", "TRUE, true, true", "1, true, true",
        "on, true, true", "oN, true, true", "Off, false, false", "n, false, false", "no, false, false",
        "f, false, false", "False, false, false", "0, false, false", "yesterday, true, true",
        "e, -, true", "enabled, -, true", "Enable, -, true", "d, -, false", "disabled, -, false", "D, -, false",
        "o, -, -", "ox, -, -", "2, -, -", "maybe, -, -", "' on', -, -", "+1, -, -"})
    void firstCharactersDecide(String text, Boolean v616, Boolean v617) {
        assertEquals(Optional.ofNullable(v616), Kstrtobool.V6_16.parse(text), "6.16");
        assertEquals(Optional.ofNullable(v617), Kstrtobool.V6_17.parse(text), "6.17");
    }

    @Test
    void noValueOrAnEmptyOneIsEinval() {
        for (Kstrtobool forms : Kstrtobool.values()) {
            assertEquals(Optional.empty(), forms.parse(null));
            assertEquals(Optional.empty(), forms.parse(""));
        }
    }

    @Test
    void enabledAndDisabledArriveWith617rc1() {
        assertEquals(Kstrtobool.V6_16, Kstrtobool.forKernelRelease(KernelRelease.of(6, 16, 12)));
        assertEquals(Kstrtobool.V6_17, Kstrtobool.forKernelRelease(KernelRelease.rc(6, 17, 1)));
        assertEquals(Kstrtobool.V6_17, Kstrtobool.forKernelRelease(KernelRelease.of(7, 4, 0)));
    }

    @Test
    void theCommandLineUsesTheFormsItIsGiven() {
        KernelCommandLine cl = KernelCommandLine.parse("root=/dev/vda kho=enabled");
        assertEquals(Optional.empty(), cl.kho(Kstrtobool.V6_16));
        assertEquals(Optional.of(true), cl.kho(Kstrtobool.V6_17));
    }
}
